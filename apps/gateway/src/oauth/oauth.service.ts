import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import { Jwks, Subject, TokenResponse } from '@hostlink/protocol';
import { z } from 'zod';
import {
  GRANT_TYPES,
  type OAuthTokenResponse,
  RevokeRequestBody,
  SAML2_BEARER,
  TokenRequestBody,
} from './oauth.messages.js';
import { assertUnreachable } from '../http/http-status.js';
import { OAuthProtocolError } from './oauth.error.js';

/** The OAuth endpoints over auth's bus subjects. */
@Injectable()
export class OAuthService {
  constructor(private readonly bus: BusClient) {}

  async token(body: unknown, clientAddress: string | undefined): Promise<OAuthTokenResponse> {
    const request = parseTokenRequest(body);
    const tokens = await this.grant(request, clientAddress?.slice(0, 64));
    return {
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
      refresh_token: tokens.refreshToken,
    };
  }

  private grant(request: TokenRequestBody, clientAddress: string | undefined): Promise<TokenResponse> {
    switch (request.grant_type) {
      case 'password':
        return this.bus.request(
          Subject.authPasswordGrant,
          { email: request.username ?? request.email ?? '', password: request.password, clientAddress },
          TokenResponse,
        );
      case 'refresh_token':
        return this.bus.request(
          Subject.authRefreshGrant,
          { refreshToken: request.refresh_token },
          TokenResponse,
        );
      case SAML2_BEARER:
        return this.bus.request(
          Subject.authSamlBearerGrant,
          { accountId: request.account, assertion: request.assertion, clientAddress },
          TokenResponse,
        );
      case 'authorization_code':
        return this.bus.request(
          Subject.authCodeGrant,
          { code: request.code, codeVerifier: request.code_verifier },
          TokenResponse,
        );
      default:
        return assertUnreachable(request);
    }
  }

  /** RFC 7009: answers the same whether or not the token was valid. */
  async revoke(body: unknown): Promise<void> {
    const parsed = RevokeRequestBody.safeParse(body);
    if (!parsed.success) throw new OAuthProtocolError('invalid_request', 'token is required');
    await this.bus.request(Subject.authSignOut, { refreshToken: parsed.data.token }, z.object({}));
  }

  jwks(): Promise<Jwks> {
    return this.bus.request(Subject.authJwks, {}, Jwks);
  }
}

function parseTokenRequest(body: unknown): TokenRequestBody {
  const grantType = (body as { grant_type?: unknown } | undefined)?.grant_type;
  if (typeof grantType !== 'string')
    throw new OAuthProtocolError('invalid_request', 'grant_type is required');
  if (!(GRANT_TYPES as readonly string[]).includes(grantType)) {
    throw new OAuthProtocolError(
      'unsupported_grant_type',
      `grant_type must be one of ${GRANT_TYPES.join(', ')}`,
    );
  }
  const parsed = TokenRequestBody.safeParse(body);
  if (!parsed.success)
    throw new OAuthProtocolError(
      'invalid_request',
      `missing or invalid ${parsed.error.issues[0]?.path.join('.') ?? 'parameter'}`,
    );
  if (parsed.data.grant_type === 'password' && !parsed.data.username && !parsed.data.email) {
    throw new OAuthProtocolError('invalid_request', 'username (or email) is required');
  }
  return parsed.data;
}
