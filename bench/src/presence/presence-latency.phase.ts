import type { ServiceProcess } from '../agents/service-process.js';
import type { SimAgent } from '../agents/sim-agent.js';
import { type Summary, summarize } from '../stats.js';
import type { HostEventsClient } from './host-events-client.js';

/** How one way of going offline looked from a subscribed client: latencies and the reasons given. */
export interface OfflineLatency {
  /** From the cause (stop, kill, freeze) to the offline event at the client, in ms. */
  ms: Summary;
  reasons: Record<string, number>;
}

/** Causes `cause` and waits for the client to see `hostId` offline; returns the ms between and the reason. */
async function timeOffline(
  events: HostEventsClient,
  hostId: string,
  cause: () => unknown,
  timeoutMs: number,
): Promise<{ ms: number; reason: string }> {
  const seen = events.next(hostId, false, timeoutMs);
  const started = performance.now();
  await cause();
  const change = await seen;
  return { ms: change.at - started, reason: change.reason ?? 'none' };
}

function latency(samples: readonly { ms: number; reason: string }[]): OfflineLatency {
  const reasons: Record<string, number> = {};
  for (const { reason } of samples) reasons[reason] = (reasons[reason] ?? 0) + 1;
  return { ms: summarize(samples.map((sample) => sample.ms)), reasons };
}

/** Agents stop cleanly (`bye`, as `hostlink-agent` does on Ctrl-C), one at a time. */
export async function cleanStops(
  events: HostEventsClient,
  agents: readonly SimAgent[],
): Promise<OfflineLatency> {
  const samples = [];
  for (const agent of agents)
    samples.push(await timeOffline(events, agent.host.hostId, () => agent.stop(), 5000));
  return latency(samples);
}

/** Agents' processes killed (the kernel closes the socket: no `bye`, no close frame), one at a time. */
export async function kills(events: HostEventsClient, agents: readonly SimAgent[]): Promise<OfflineLatency> {
  const samples = [];
  for (const agent of agents)
    samples.push(await timeOffline(events, agent.host.hostId, () => agent.kill(), 5000));
  return latency(samples);
}

/**
 * Agents that die silently (socket left open, nothing sent or read) right after a heartbeat, the worst
 * moment: poll can only notice by its deadline. All at once, as they each wait for that deadline.
 */
export async function silentDeaths(
  events: HostEventsClient,
  agents: readonly SimAgent[],
  heartbeatSeconds: number,
): Promise<OfflineLatency> {
  const timeoutMs = heartbeatSeconds * 4000;
  const samples = await Promise.all(
    agents.map((agent) =>
      timeOffline(
        events,
        agent.host.hostId,
        () => {
          agent.beat();
          agent.dieSilently();
        },
        timeoutMs,
      ),
    ),
  );
  return latency(samples);
}

/** A real agent process: SIGTERM (clean), SIGKILL, or SIGSTOP (frozen: its socket stays open, silent). */
export async function realAgentOffline(
  events: HostEventsClient,
  hostId: string,
  agent: ServiceProcess,
  how: 'stop' | 'kill' | 'freeze',
  heartbeatSeconds: number,
): Promise<{ ms: number; reason: string }> {
  const cause = { stop: () => agent.stop(), kill: () => agent.kill9(), freeze: () => agent.freeze() }[how];
  return timeOffline(events, hostId, cause, heartbeatSeconds * 4000);
}
