import { POLL_MAX_RETRY_AFTER_SECONDS } from '@hostlink/protocol';

/**
 * The times poll gives the agents it refuses (503 with `retry-after`): one slot each, `perSecond` slots a
 * second after the last one given, so that a reconnect burst comes back as a steady stream instead of in
 * the waves of the agents' exponential back-off, mostly refused again (19,000 agents took a minute to
 * return to an instance that takes them in under twenty seconds).
 *
 * The rate is fixed on purpose: about what an instance completes at its limit keeps it busy, and an agent
 * that comes while it is full costs one more 503 and gets the next free slot. A rate measured from
 * completed handshakes was tried and stuck low: below the limit, handshakes end as fast as agents come,
 * which is the schedule's own rate, and a stall of the agents' side counted as the instance's.
 */
export class ComebackSchedule {
  private nextSlotMs = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whole seconds the agent refused now waits: to its slot, at least one second and at most the cap. */
  retryAfterSeconds(): number {
    const now = this.now();
    this.nextSlotMs = Math.max(this.nextSlotMs, now + 1000) + 1000 / this.perSecond;
    // Rounded down: the agent adds up to a second of its own, which spreads each second's slots over it.
    return Math.min(POLL_MAX_RETRY_AFTER_SECONDS, Math.floor((this.nextSlotMs - now) / 1000));
  }
}
