import { Inject, Injectable, Logger } from '@nestjs/common';
import { currentCorrelationId, HostlinkMetrics, withCorrelation } from '@hostlink/observability';
import {
  ErrorCode,
  HostlinkError,
  parseOrThrow,
  RelayHello,
  type RelayTicketClaims,
} from '@hostlink/protocol';
import type { Leg } from '../legs/leg.js';
import { type Direction, splice } from '../legs/splice.js';
import { RELAY_OPTIONS, type RelayOptions } from '../relay.options.js';
import { TicketVerifier } from '../tickets/ticket-verifier.service.js';

interface Waiting {
  leg: Leg;
  role: RelayTicketClaims['role'];
  timer: NodeJS.Timeout;
}

/**
 * Admits legs by ticket and pairs a client leg with the agent leg of the same connection id. Counts each
 * leg's outcome, the sessions open and the bytes spliced; logs under the connect request's correlation id.
 */
@Injectable()
export class PairingService {
  private readonly logger = new Logger('RelayPairing');
  private readonly waiting = new Map<string, Waiting>();
  private readonly legs = new Set<Leg>();
  private active = 0;
  private readonly bytes: Record<Direction, { inc(count: number): void }>;

  constructor(
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    private readonly tickets: TicketVerifier,
    private readonly metrics: HostlinkMetrics,
  ) {
    this.bytes = {
      to_agent: metrics.relayBytes.labels({ direction: 'to_agent' }),
      to_client: metrics.relayBytes.labels({ direction: 'to_client' }),
    };
  }

  get activeSessions(): number {
    return this.active;
  }

  /** Takes a leg's raw hello (already size-checked by its reader) and answers it. */
  async admit(leg: Leg, rawHello: Buffer): Promise<void> {
    this.legs.add(leg);
    leg.onClose(() => this.legs.delete(leg));
    try {
      const hello = parseOrThrow(RelayHello, parseJson(rawHello), 'relay hello');
      const claims = await this.tickets.verify(hello.ticket);
      if (!leg.closed) withCorrelation(claims.corr, () => this.join(leg, claims));
    } catch (error) {
      this.metrics.relayPairings.inc({ result: 'rejected' });
      const failure =
        error instanceof HostlinkError ? error : new HostlinkError(ErrorCode.Internal, 'relay failure');
      if (failure.code === ErrorCode.Internal)
        this.logger.error({ msg: 'admit failed', error: String(error) });
      leg.fail(failure.code, failure.message);
    }
  }

  /** Closes every leg (shutdown). */
  closeAll(): void {
    for (const waiting of this.waiting.values()) clearTimeout(waiting.timer);
    this.waiting.clear();
    for (const leg of this.legs) leg.destroy();
  }

  private join(leg: Leg, { cid, role }: RelayTicketClaims): void {
    const partner = this.waiting.get(cid);
    if (!partner) return this.wait(leg, cid, role);
    if (partner.role === role) {
      this.metrics.relayPairings.inc({ result: 'conflict' });
      return leg.fail(ErrorCode.Conflict, `a ${role} leg is already waiting for this connection`);
    }
    clearTimeout(partner.timer);
    this.waiting.delete(cid);
    this.pair(role === 'client' ? leg : partner.leg, role === 'client' ? partner.leg : leg, cid);
  }

  private pair(client: Leg, agent: Leg, cid: string): void {
    this.metrics.relayPairings.inc({ result: 'paired' });
    this.active += 1;
    this.metrics.relaySessionsActive.set(this.active);
    client.reply({ type: 'paired' });
    agent.reply({ type: 'paired' });
    this.logger.log({ msg: 'legs paired', cid });
    const crossed: Record<Direction, number> = { to_agent: 0, to_client: 0 };
    // Legs close in their sockets' own async context: the session's end is logged under its id again.
    const correlationId = currentCorrelationId();
    splice(client, agent, {
      bytes: (direction, count) => {
        crossed[direction] += count;
        this.bytes[direction].inc(count);
      },
      end: () => {
        this.active -= 1;
        this.metrics.relaySessionsActive.set(this.active);
        withCorrelation(correlationId, () =>
          this.logger.log({ msg: 'relay session ended', cid, ...crossed }),
        );
      },
    });
  }

  private wait(leg: Leg, cid: string, role: RelayTicketClaims['role']): void {
    const timer = setTimeout(() => {
      this.waiting.delete(cid);
      this.metrics.relayPairings.inc({ result: 'timeout' });
      this.logger.log({ msg: 'the other leg did not arrive in time', cid, role });
      leg.fail(ErrorCode.Unavailable, 'the other side did not arrive in time');
    }, this.options.pairTimeoutMs);
    this.waiting.set(cid, { leg, role, timer });
    leg.onClose(() => {
      if (this.waiting.get(cid)?.leg !== leg) return;
      clearTimeout(timer);
      this.waiting.delete(cid);
    });
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HostlinkError(ErrorCode.BadRequest, 'relay hello is not JSON');
  }
}
