import { Inject, Injectable } from '@nestjs/common';
import {
  Audience,
  ErrorCode,
  HostlinkError,
  parseOrThrow,
  RelayTicketClaims,
  TokenKind,
} from '@hostlink/protocol';
import { errors, jwtVerify } from 'jose';
import { RELAY_OPTIONS, type RelayOptions } from '../relay.options.js';
import { BrokerKeysService } from './broker-keys.service.js';

/**
 * Accepts a relay ticket once: signed by the broker, of the relay-ticket kind, for this relay, unexpired,
 * and never seen before (its jti is remembered until it expires).
 */
@Injectable()
export class TicketVerifier {
  private readonly used = new Map<string, number>();
  private lastSweep = 0;

  constructor(
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    private readonly keys: BrokerKeysService,
  ) {}

  async verify(ticket: string): Promise<RelayTicketClaims> {
    const claims = parseOrThrow(RelayTicketClaims, await this.verifySignature(ticket), 'relay ticket');
    this.forgetExpired();
    if (this.used.has(claims.jti))
      throw new HostlinkError(ErrorCode.TokenReused, 'relay ticket already used');
    this.used.set(claims.jti, claims.exp * 1000);
    return claims;
  }

  private async verifySignature(ticket: string): Promise<unknown> {
    try {
      const { payload } = await jwtVerify(ticket, (header) => this.keys.keyFor(header.kid, header.alg), {
        typ: TokenKind.RelayTicket,
        audience: Audience.ticketFor(this.options.relayId),
        requiredClaims: ['exp', 'jti'],
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
      });
      return payload;
    } catch (error) {
      if (error instanceof HostlinkError) throw error;
      if (error instanceof errors.JWTExpired)
        throw new HostlinkError(ErrorCode.TokenExpired, 'relay ticket expired');
      throw new HostlinkError(ErrorCode.TokenInvalid, 'relay ticket is not valid here');
    }
  }

  /** Sweeps at most once a second, so a busy relay does not scan the whole set per leg. */
  private forgetExpired(): void {
    const now = Date.now();
    if (now - this.lastSweep < 1000) return;
    this.lastSweep = now;
    for (const [jti, expiresAt] of this.used) if (expiresAt < now) this.used.delete(jti);
  }
}
