import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import {
  Audience,
  ErrorCode,
  HostlinkError,
  type SamlIdpSummary,
  type SamlImportMetadataRequest,
  TokenKind,
} from '@hostlink/protocol';
import { TokenSigner } from '@hostlink/token-keys';
import { AUTH_OPTIONS, CLOCK, type Clock, type ResolvedAuthOptions } from '../auth.options.js';
import { parseIdpMetadata } from './idp-metadata.parser.js';
import { SamlIdpRepository } from './saml-idp.repository.js';
import { spEndpoints } from './sp-endpoints.js';

interface Caller {
  userId: string;
  accountId: string;
}

/** An account admin sets the account's IdP by importing its metadata. */
@Injectable()
export class SamlAdminService {
  constructor(
    private readonly idps: SamlIdpRepository,
    private readonly tokens: TokenSigner,
    private readonly audit: AuditRepository,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async importMetadata(request: SamlImportMetadataRequest): Promise<SamlIdpSummary> {
    const caller = await this.admin(request.accessToken);
    const metadata = parseIdpMetadata(request.metadataXml);
    const at = this.clock();
    await this.idps.save({
      accountId: caller.accountId,
      ...metadata,
      jitProvisioning: request.jitProvisioning,
      updatedAt: at,
    });
    await this.audit.record({
      accountId: caller.accountId,
      actor: `user:${caller.userId}`,
      action: 'auth.saml.idp.import',
      outcome: 'success',
      detail: { entityId: metadata.entityId, certificates: metadata.signingCerts.length },
      at,
    });
    const sp = spEndpoints(this.options.issuer, caller.accountId);
    return {
      accountId: caller.accountId,
      entityId: metadata.entityId,
      ssoUrl: metadata.ssoUrl,
      signingCertificates: metadata.signingCerts.length,
      jitProvisioning: request.jitProvisioning,
      spEntityId: sp.entityId,
      acsUrl: sp.acsUrl,
    };
  }

  /** Our own access token (kind and audience pinned like everywhere else), of an admin. */
  private async admin(accessToken: string): Promise<Caller> {
    const claims = await this.tokens.verify(accessToken, TokenKind.Access, Audience.Access).catch(() => {
      throw new HostlinkError(ErrorCode.Unauthenticated, 'access token is not valid');
    });
    if (claims.role !== 'admin') throw new HostlinkError(ErrorCode.Forbidden, 'account admins only');
    if (typeof claims.sub !== 'string' || typeof claims.acc !== 'string')
      throw new HostlinkError(ErrorCode.Unauthenticated, 'access token is not valid');
    return { userId: claims.sub, accountId: claims.acc };
  }
}
