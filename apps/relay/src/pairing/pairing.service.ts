import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ErrorCode,
  HostlinkError,
  parseOrThrow,
  RelayHello,
  type RelayTicketClaims,
} from '@hostlink/protocol';
import type { Leg } from '../legs/leg.js';
import { splice } from '../legs/splice.js';
import { RELAY_OPTIONS, type RelayOptions } from '../relay.options.js';
import { TicketVerifier } from '../tickets/ticket-verifier.service.js';

interface Waiting {
  leg: Leg;
  role: RelayTicketClaims['role'];
  timer: NodeJS.Timeout;
}

/** Admits legs by ticket and pairs a client leg with the agent leg of the same connection id. */
@Injectable()
export class PairingService {
  private readonly logger = new Logger('RelayPairing');
  private readonly waiting = new Map<string, Waiting>();
  private readonly legs = new Set<Leg>();
  private active = 0;

  constructor(
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    private readonly tickets: TicketVerifier,
  ) {}

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
      if (!leg.closed) this.join(leg, claims);
    } catch (error) {
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
    if (partner.role === role)
      return leg.fail(ErrorCode.Conflict, `a ${role} leg is already waiting for this connection`);
    clearTimeout(partner.timer);
    this.waiting.delete(cid);
    this.active += 1;
    partner.leg.reply({ type: 'paired' });
    leg.reply({ type: 'paired' });
    splice(partner.leg, leg, () => {
      this.active -= 1;
    });
  }

  private wait(leg: Leg, cid: string, role: RelayTicketClaims['role']): void {
    const timer = setTimeout(() => {
      this.waiting.delete(cid);
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
