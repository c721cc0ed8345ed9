import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  CodeGrantRequest,
  parseOrThrow,
  SamlAcsRequest,
  SamlBearerGrantRequest,
  type SamlIdpSummary,
  SamlImportMetadataRequest,
  SamlLoginStartRequest,
  type SamlRedirect,
  SamlSpMetadataRequest,
  Subject,
  type TokenResponse,
} from '@hostlink/protocol';
import { SamlAdminService } from './saml-admin.service.js';
import { SamlLoginService } from './saml-login.service.js';
import { SamlSignInService } from './saml-sign-in.service.js';
import { SignInCodeService } from './sign-in-code.service.js';

/** SAML single sign-on over the bus: admin import, SP metadata, browser flow, RFC 7522 and code grants. */
@Controller()
@UseFilters(DomainRpcFilter)
export class SamlHandler {
  constructor(
    private readonly admin: SamlAdminService,
    private readonly login: SamlLoginService,
    private readonly signIn: SamlSignInService,
    private readonly codes: SignInCodeService,
  ) {}

  @MessagePattern(Subject.authSamlImportMetadata)
  importMetadata(@Payload() payload: unknown): Promise<SamlIdpSummary> {
    return this.admin.importMetadata(parseOrThrow(SamlImportMetadataRequest, payload, 'metadata import'));
  }

  @MessagePattern(Subject.authSamlSpMetadata)
  spMetadata(@Payload() payload: unknown): { xml: string } {
    return this.login.metadata(parseOrThrow(SamlSpMetadataRequest, payload, 'SP metadata').accountId);
  }

  @MessagePattern(Subject.authSamlLoginStart)
  start(@Payload() payload: unknown): Promise<SamlRedirect> {
    return this.login.start(parseOrThrow(SamlLoginStartRequest, payload, 'SAML login'));
  }

  @MessagePattern(Subject.authSamlAcs)
  acs(@Payload() payload: unknown): Promise<SamlRedirect> {
    return this.signIn.acs(parseOrThrow(SamlAcsRequest, payload, 'SAML response'));
  }

  @MessagePattern(Subject.authSamlBearerGrant)
  bearer(@Payload() payload: unknown): Promise<TokenResponse> {
    return this.signIn.bearer(parseOrThrow(SamlBearerGrantRequest, payload, 'saml2-bearer grant'));
  }

  @MessagePattern(Subject.authCodeGrant)
  code(@Payload() payload: unknown): Promise<TokenResponse> {
    return this.codes.redeem(parseOrThrow(CodeGrantRequest, payload, 'code grant'));
  }
}
