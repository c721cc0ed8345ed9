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
import { LRUCache } from 'lru-cache';
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

/** Session tokens whose verification is remembered: about the people active within a session's lifetime. */
const VERIFIED_SESSIONS = 10_000;

/** Exchanges auth's access tokens for broker session tokens, and turns session tokens back into a context. */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('Sessions');
  /**
   * Session tokens verified already, by their exact text (signature included), with when they expire. A
   * client sends the same token with every request for up to a session's lifetime, and verifying it again
   * (an Ed25519 signature through WebCrypto, its claims through the schema) would find what it found the
   * first time: session tokens are never revoked, and a retired key verifies its tokens until they expire.
   * Only expiry changes the answer, and it is checked at every use.
   */
  private readonly verified = new LRUCache<string, { context: SessionContext; expiresAtMs: number }>({
    max: VERIFIED_SESSIONS,
  });

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
    const known = this.verified.get(sessionToken);
    if (known && this.clock().getTime() < known.expiresAtMs) return known.context;
    try {
      const claims = await this.tokens.verify(sessionToken, TokenKind.Session, Audience.Session);
      const context = Object.freeze(
        contextFromClaims(parseOrThrow(IdentityClaims, claims, 'session claims')),
      );
      // jose refused it unless `exp` was later than now (whole seconds); our session tokens always carry it.
      if (typeof claims.exp === 'number')
        this.verified.set(sessionToken, { context, expiresAtMs: claims.exp * 1000 });
      return context;
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
