import { setTimeout as delay } from 'node:timers/promises';
import type { HostIdentity } from './host-identity.js';
import { type FleetCounters, SimAgent } from './sim-agent.js';

/** Many simulated agents in this process, started, driven and stopped together. */
export class AgentFleet {
  readonly counters: FleetCounters = { heartbeatsSent: 0, connectAttempts: 0, closes: new Map(), fatal: 0 };
  readonly agents: SimAgent[];

  constructor(hosts: readonly HostIdentity[]) {
    this.agents = hosts.map((host) => new SimAgent(host, this.counters));
  }

  get onlineCount(): number {
    return this.agents.reduce((count, agent) => count + (agent.online ? 1 : 0), 0);
  }

  /**
   * Starts the first `count` agents (all by default) on `url` (or the first of several that accepts, see
   * `SimAgent.start`), `concurrency` handshakes at a time; returns the seconds it took.
   */
  async connectAll(
    url: string | readonly string[],
    concurrency: number,
    timeoutMs: number,
    count = this.agents.length,
  ): Promise<number> {
    const started = performance.now();
    for (let from = 0; from < count; from += concurrency) {
      const batch = this.agents.slice(from, Math.min(count, from + concurrency));
      for (const agent of batch) agent.start(url);
      await this.until(() => batch.every((agent) => agent.online), timeoutMs, 'agents to come online');
    }
    return (performance.now() - started) / 1000;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.agents.map((agent) => agent.stop()));
  }

  /** Resolves once every agent's earlier frames have been read by its poll (a ping each, all at once). */
  async flushed(timeoutMs: number): Promise<void> {
    await Promise.race([
      Promise.all(this.agents.map((agent) => agent.flushed())),
      delay(timeoutMs).then(() => {
        throw new Error(`poll did not read the backlog within ${timeoutMs} ms`);
      }),
    ]);
  }

  /** Skips (or resumes) every agent's regular heartbeats, so that only driven ones are counted. */
  pauseRegularHeartbeats(paused: boolean): void {
    for (const agent of this.agents) agent.regularPaused = paused;
  }

  /**
   * Offers heartbeats at `perSecond` in all, spread round-robin over the agents, for `seconds`; catches up
   * when this process falls behind, so the offered count is what was asked unless it cannot keep up.
   */
  async drive(perSecond: number, seconds: number): Promise<{ sent: number; seconds: number }> {
    const before = this.counters.heartbeatsSent;
    const started = performance.now();
    let next = 0;
    let offered = 0;
    for (;;) {
      const elapsed = (performance.now() - started) / 1000;
      if (elapsed >= seconds) break;
      const due = Math.floor(perSecond * elapsed) - offered;
      for (let i = 0; i < due; i += 1) {
        this.agents[next]!.beat();
        next = (next + 1) % this.agents.length;
      }
      offered += Math.max(0, due);
      await delay(1);
    }
    return { sent: this.counters.heartbeatsSent - before, seconds: (performance.now() - started) / 1000 };
  }

  async until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition()) {
      if (performance.now() > deadline)
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await delay(20);
    }
  }
}
