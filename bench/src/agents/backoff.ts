/**
 * The agent's reconnect delays, with the numbers of apps/agent/src/poll/backoff.ts (`Backoff`: 1 s base,
 * doubling, capped at 30 s, each delay drawn between a tenth of the interval and all of it, reset once
 * online). Mirrored, not imported: the bench may only depend on libs. If the agent's policy changes, change
 * it here too.
 */
export class AgentBackoff {
  private attempt = 0;

  next(): number {
    const ceiling = Math.min(30_000, 1_000 * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 10 + (Math.random() * ceiling * 9) / 10);
  }

  reset(): void {
    this.attempt = 0;
  }
}
