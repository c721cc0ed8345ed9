/**
 * Capped exponential back-off with jitter over most of each interval (from a tenth of it to all of it): the
 * first retry after a lost connection comes within a second, yet the agents of a poll instance that just
 * died spread their reconnections over that second instead of arriving at the survivor all at once.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1_000,
    private readonly capMs = 30_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 10 + (this.random() * ceiling * 9) / 10);
  }

  reset(): void {
    this.attempt = 0;
  }
}
