import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import type { SamlIdentityProvider, SamlRequest, User } from '@hostlink/persistence';
import type { SamlAcsRequest, SamlBearerGrantRequest, SamlRedirect, TokenResponse } from '@hostlink/protocol';
import { AUTH_OPTIONS, CLOCK, type Clock, type ResolvedAuthOptions } from '../auth.options.js';
import { TokenService } from '../tokens/token.service.js';
import { UserRepository } from '../users/user.repository.js';
import { reject, SamlRejectedError, SamlRejection } from './saml.exception.js';
import { SamlAssertionUseRepository } from './saml-assertion-use.repository.js';
import { SamlIdpRepository } from './saml-idp.repository.js';
import { inspectSamlXml } from './saml-message.guard.js';
import { SamlRequestRepository } from './saml-request.repository.js';
import { SamlValidator, type VerifiedAssertion } from './saml.validator.js';
import { SignInCodeService } from './sign-in-code.service.js';
import { redirectWithCode } from './sign-in-redirect.js';
import { spEndpoints } from './sp-endpoints.js';

interface SignedIn {
  user: User;
  request: SamlRequest | null;
}

/**
 * Turns an IdP's signed assertion into a sign-in: the ACS (browser, SP-initiated: answers with a one-time
 * code for the client that started it) and the RFC 7522 bearer grant (native clients: answers tokens).
 * Every refusal is audited with its reason.
 */
@Injectable()
export class SamlSignInService {
  constructor(
    private readonly idps: SamlIdpRepository,
    private readonly requests: SamlRequestRepository,
    private readonly uses: SamlAssertionUseRepository,
    private readonly validator: SamlValidator,
    private readonly users: UserRepository,
    private readonly codes: SignInCodeService,
    private readonly tokens: TokenService,
    private readonly audit: AuditRepository,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async acs(request: SamlAcsRequest): Promise<SamlRedirect> {
    const { user, request: pending } = await this.audited(request, 'acs', async (idp) => {
      const xml = inspectSamlXml(request.samlResponse, 'Response');
      const sp = spEndpoints(this.options.issuer, idp.accountId);
      return this.signIn(idp, await this.validator.verifyResponse(idp, sp, xml), true);
    });
    const code = await this.codes.issue(user, pending!.codeChallenge);
    return {
      location: redirectWithCode(this.options.issuer, pending!.redirectUri, code, pending!.clientState),
    };
  }

  async bearer(request: SamlBearerGrantRequest): Promise<TokenResponse> {
    const { user } = await this.audited(request, 'saml2-bearer', async (idp) => {
      const xml = inspectSamlXml(request.assertion, 'Assertion');
      const sp = spEndpoints(this.options.issuer, idp.accountId);
      return this.signIn(idp, await this.validator.verifyBearerAssertion(idp, sp, xml), false);
    });
    return this.tokens.issueForSignIn(user);
  }

  /** After the signature: our own request (SP-initiated), one-time use, then the account's user. */
  private async signIn(
    idp: SamlIdentityProvider,
    assertion: VerifiedAssertion,
    spInitiated: boolean,
  ): Promise<SignedIn> {
    const now = this.clock();
    let request: SamlRequest | null = null;
    if (spInitiated || assertion.inResponseTo) {
      request = assertion.inResponseTo
        ? await this.requests.consume(assertion.inResponseTo, idp.accountId, now)
        : null;
      if (!request) reject(SamlRejection.InResponseTo, 'the assertion answers no pending request of ours');
    }
    const key = createHash('sha256').update(`${assertion.issuer}\n${assertion.id}`).digest('base64url');
    const expiresAt = new Date(assertion.notOnOrAfter.getTime() + this.options.samlClockSkewSeconds * 1000);
    if (!(await this.uses.spend({ key, accountId: idp.accountId, expiresAt }, now)))
      reject(SamlRejection.Replay, 'this assertion was already used');
    return { user: await this.userFor(idp, assertion.nameId, now), request };
  }

  private async userFor(idp: SamlIdentityProvider, nameId: string, now: Date): Promise<User> {
    const email = nameId.toLowerCase();
    const user = await this.users.findInAccount(idp.accountId, email);
    if (user) return user;
    if (!idp.jitProvisioning || !/^[^@\s]+@[^@\s]+$/.test(email))
      return reject(SamlRejection.UnknownUser, 'the NameID names no user of this account');
    return this.users.createMember(idp.accountId, email, now);
  }

  private async audited(
    request: { accountId: string; clientAddress?: string | undefined },
    flow: string,
    work: (idp: SamlIdentityProvider) => Promise<SignedIn>,
  ): Promise<SignedIn> {
    const entry = { accountId: null as string | null, action: `auth.sign-in.saml.${flow}`, at: this.clock() };
    try {
      const idp = await this.idps.find(request.accountId);
      if (!idp) return reject(SamlRejection.NotConfigured, 'this account has no identity provider');
      entry.accountId = idp.accountId;
      const signedIn = await work(idp);
      await this.audit.record({
        ...entry,
        actor: `user:${signedIn.user.id}`,
        outcome: 'success',
        detail: { clientAddress: request.clientAddress ?? null },
      });
      return signedIn;
    } catch (error) {
      if (error instanceof SamlRejectedError)
        await this.audit.record({
          ...entry,
          actor: `saml:${request.accountId}`,
          outcome: 'failure',
          detail: {
            reason: error.reason,
            message: error.message,
            clientAddress: request.clientAddress ?? null,
          },
        });
      throw error;
    }
  }
}
