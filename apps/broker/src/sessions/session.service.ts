import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  Audience,
  ErrorCode,
  HostlinkError,
  Lifetime,
  parseOrThrow,
  type SessionResponse,
  TokenKind,
} from '@hostlink/protocol';
import { databaseUnavailable } from '@hostlink/persistence';
import { SIGNING_ALG, TokenSigner } from '@hostlink/token-keys';
import { errors, jwtVerify } from 'jose';
import { BROKER_OPTIONS, CLOCK, type Clock, type ResolvedBrokerOptions } from '../broker.options.js';
import { AuthJwksCache } from './auth-jwks.cache.js';
import { contextFromClaims, IdentityClaims, type SessionContext } from './session-context.js';

/**
 * Any verification failure is `unauthenticated`; only the message says why (expired, wrong kind...). A
 * failure to verify at all (the database holding another instance's key is unreachable, say) keeps its own
 * meaning, so that the caller hears "try again" rather than "sign in again".
 */
function unauthenticated(what: string, error: unknown): HostlinkError {
  if (error instanceof HostlinkError && error.code !== ErrorCode.BadRequest) return error;
  const unavailable = databaseUnavailable(error);
  if (unavailable) return unavailable;
  const why = error instanceof errors.JWTExpired ? 'expired' : 'not valid';
  return new HostlinkError(ErrorCode.Unauthenticated, `${what} is ${why}`);
}

/** Exchanges auth's access tokens for broker session tokens, and turns session tokens back into a context. */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');

  constructor(
    private readonly authKeys: AuthJwksCache,
    private readonly tokens: TokenSigner,
    @Inject(BROKER_OPTIONS) private readonly options: ResolvedBrokerOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createSession(accessToken: string): Promise<SessionResponse> {
    const context = await this.verifyAccessToken(accessToken);
    const sessionToken = await this.tokens.sign(
      TokenKind.Session,
      Audience.Session,
      { sub: context.userId, acc: context.accountId, email: context.email, role: context.role },
      Lifetime.sessionSeconds,
    );
    return {
      sessionToken,
      expiresIn: Lifetime.sessionSeconds,
      user: { id: context.userId, email: context.email, accountId: context.accountId, role: context.role },
    };
  }

  /** The caller of a session-scoped request; `unauthenticated` for anything but a valid session token. */
  async context(sessionToken: string): Promise<SessionContext> {
    try {
      const claims = await this.tokens.verify(sessionToken, TokenKind.Session, Audience.Session);
      return contextFromClaims(parseOrThrow(IdentityClaims, claims, 'session claims'));
    } catch (error) {
      throw unauthenticated('session token', error);
    }
  }

  private async verifyAccessToken(accessToken: string): Promise<SessionContext> {
    try {
      const { payload } = await jwtVerify(accessToken, this.authKeys.resolve, {
        algorithms: [SIGNING_ALG],
        typ: TokenKind.Access,
        audience: Audience.Access,
        issuer: this.options.authIssuer,
        currentDate: this.clock(),
      });
      return contextFromClaims(parseOrThrow(IdentityClaims, payload, 'access token claims'));
    } catch (error) {
      this.logger.debug(`access token refused: ${error instanceof Error ? error.message : String(error)}`);
      throw unauthenticated('access token', error);
    }
  }
}
