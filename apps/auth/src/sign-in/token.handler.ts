import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DomainRpcFilter } from '@hostlink/bus';
import {
  parseOrThrow,
  PasswordGrantRequest,
  RefreshGrantRequest,
  SignOutRequest,
  Subject,
  type TokenResponse,
} from '@hostlink/protocol';
import { TokenService } from '../tokens/token.service.js';
import { PasswordGrantService } from './password-grant.service.js';

/** The OAuth token endpoint's grants, as bus requests from the gateway. */
@Controller()
@UseFilters(DomainRpcFilter)
export class TokenHandler {
  constructor(
    private readonly passwordGrant: PasswordGrantService,
    private readonly tokens: TokenService,
  ) {}

  @MessagePattern(Subject.authPasswordGrant)
  password(@Payload() payload: unknown): Promise<TokenResponse> {
    return this.passwordGrant.signIn(parseOrThrow(PasswordGrantRequest, payload, 'password grant'));
  }

  @MessagePattern(Subject.authRefreshGrant)
  refresh(@Payload() payload: unknown): Promise<TokenResponse> {
    return this.tokens.refresh(parseOrThrow(RefreshGrantRequest, payload, 'refresh grant').refreshToken);
  }

  /** Replies `{}` whether or not the token was known, so sign-out reveals nothing. */
  @MessagePattern(Subject.authSignOut)
  async signOut(@Payload() payload: unknown): Promise<Record<string, never>> {
    await this.tokens.signOut(parseOrThrow(SignOutRequest, payload, 'sign-out').refreshToken);
    return {};
  }
}
