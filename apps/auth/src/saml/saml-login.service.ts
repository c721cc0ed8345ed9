import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import {
  ErrorCode,
  HostlinkError,
  Lifetime,
  type SamlLoginStartRequest,
  type SamlRedirect,
} from '@hostlink/protocol';
import { AUTH_OPTIONS, CLOCK, type Clock, type ResolvedAuthOptions } from '../auth.options.js';
import { SamlIdpRepository } from './saml-idp.repository.js';
import { SamlRequestRepository } from './saml-request.repository.js';
import { SamlValidator } from './saml.validator.js';
import { checkRedirectUri } from './sign-in-redirect.js';
import { spEndpoints } from './sp-endpoints.js';

/** Starts the SP-initiated browser flow and publishes each account's SP metadata. */
@Injectable()
export class SamlLoginService {
  constructor(
    private readonly idps: SamlIdpRepository,
    private readonly requests: SamlRequestRepository,
    private readonly validator: SamlValidator,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** An AuthnRequest (HTTP-Redirect) whose id is remembered with the client's challenge and redirect. */
  async start(request: SamlLoginStartRequest): Promise<SamlRedirect> {
    checkRedirectUri(request.redirectUri);
    const idp = await this.idps.find(request.accountId);
    if (!idp) throw new HostlinkError(ErrorCode.NotFound, 'this account has no identity provider');
    const id = `_${randomBytes(20).toString('hex')}`;
    const now = this.clock();
    await this.requests.insert(
      {
        id,
        accountId: idp.accountId,
        value: now.toISOString(),
        codeChallenge: request.codeChallenge,
        redirectUri: request.redirectUri,
        clientState: request.state,
        expiresAt: new Date(now.getTime() + Lifetime.samlRequestSeconds * 1000),
      },
      now,
    );
    const saml = this.validator.samlFor(idp, spEndpoints(this.options.issuer, idp.accountId), id);
    return { location: await saml.getAuthorizeUrlAsync('', undefined, {}) };
  }

  metadata(accountId: string): { xml: string } {
    const sp = spEndpoints(this.options.issuer, accountId);
    const xml = generateServiceProviderMetadata({
      issuer: sp.entityId,
      callbackUrl: sp.acsUrl,
      identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      wantAssertionsSigned: true,
    });
    return { xml };
  }
}
