/**
 * Presence latency (issue 6, figure 6): how soon a subscribed client sees a host go offline. The distributed
 * platform runs as real processes (bench/src/broker/platform.ts: auth, broker, gateway, poll, relay on the
 * machine's NATS, Redis and Postgres; poll at the production heartbeat interval). Hosts are registered
 * through the gateway's enrollment API and held online by protocol-level agents (real WebSockets, real proof
 * of key), plus real agent processes (`hostlink-agent run`). The client is the gateway's live host-events
 * WebSocket, as the web client opens it: a change travels agent → poll → NATS → gateway → client.
 *
 * - clean stop (`bye`), one agent at a time: p50 and p99;
 * - an agent's process killed (the kernel closes its socket, no `bye`): p50 and p99;
 * - silent death right after a heartbeat (socket left open, nothing sent: a frozen machine, a network cut
 *   without a FIN), the worst moment for it: poll notices only by its heartbeat deadline;
 * - real agents: SIGTERM, SIGKILL, SIGSTOP.
 *
 *   npm run bench:presence [-- --quick]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '@hostlink/client-sdk';
import { AgentFleet } from './agents/agent-fleet.js';
import { type RunningAgent, registerProtocolHost, startRealAgent } from './broker/hosts.js';
import { type Platform, startPlatform } from './broker/platform.js';
import { HostEventsClient } from './presence/host-events-client.js';
import {
  cleanStops,
  kills,
  type OfflineLatency,
  realAgentOffline,
  silentDeaths,
} from './presence/presence-latency.phase.js';
import { writeResults } from './report/results-file.js';

const quick = process.argv.includes('--quick');
/** Protocol-level agents online at the platform's poll instance. */
const HOSTS = quick ? 60 : 300;
const CLEAN_STOPS = quick ? 30 : 150;
const KILLS = quick ? 10 : 50;
const SILENT = quick ? 10 : 50;
/** What the platform's poll runs at (platform.ts), production's interval. */
const HEARTBEAT_SECONDS = 5;
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const HARD_LIMIT_MS = (quick ? 4 : 8) * 60_000;

const logDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-presence-'));
const stops: (() => Promise<unknown>)[] = [];
const print = (label: string, value: string) => console.log(`${label.padEnd(66)} ${value}`);
const line = (what: string, result: OfflineLatency) =>
  print(
    what,
    `p50 ${result.ms.p50.toFixed(1)} ms, p99 ${result.ms.p99.toFixed(1)} ms, max ${result.ms.max.toFixed(1)} ms ` +
      `(n=${result.ms.n}; ${Object.entries(result.reasons)
        .map(([reason, count]) => `${count}x ${reason}`)
        .join(', ')})`,
  );

/** Protocol-level agents for `count` hosts registered through the API, not started. */
async function protocolFleet(api: ApiClient, sessionToken: string, count: number) {
  const registered = [];
  for (let from = 0; from < count; from += 8) {
    const names = Array.from({ length: Math.min(8, count - from) }, (_, i) => `presence-bench-${from + i}`);
    registered.push(
      ...(await Promise.all(names.map((name) => registerProtocolHost(api, sessionToken, name)))),
    );
  }
  return { fleet: new AgentFleet(registered.map((host) => host.identity)), pollUrl: registered[0]!.pollUrl };
}

/** Real agents, enrolled with `hostlink-agent enroll` and running, with their host ids. */
async function realAgents(api: ApiClient, sessionToken: string, names: readonly string[]) {
  const running: (RunningAgent & { hostId: string })[] = [];
  for (const name of names) {
    const agent = await startRealAgent(api, sessionToken, { name, logDir });
    stops.push(() => agent.stop());
    running.push({ ...agent, hostId: '' });
  }
  const hosts = (await api.listHosts(sessionToken)).hosts;
  for (const agent of running) agent.hostId = hosts.find((host) => host.name === agent.hostName)?.id ?? '';
  return running;
}

async function measure(platform: Platform) {
  const api = new ApiClient(platform.gatewayUrl);
  const tokens = await api.passwordGrant(platform.admin.email, platform.admin.password);
  const { sessionToken } = await api.createSession(tokens.accessToken);
  const [stopped, killed, frozen] = await realAgents(api, sessionToken, [
    'real-stop',
    'real-kill',
    'real-freeze',
  ]);
  const { fleet, pollUrl } = await protocolFleet(api, sessionToken, HOSTS);
  stops.push(() => fleet.stopAll());
  // The events socket watches the hosts the session could list when it opened: every host is enrolled now.
  const events = await HostEventsClient.open(platform.gatewayUrl, sessionToken);
  stops.push(() => Promise.resolve(events.close()));
  await fleet.connectAll(pollUrl, 50, 60_000);
  console.log(`${HOSTS} protocol agents and 3 real agents online; heartbeat ${HEARTBEAT_SECONDS} s\n`);
  const [clean, kill, silent] = [
    fleet.agents.slice(0, CLEAN_STOPS),
    fleet.agents.slice(CLEAN_STOPS, CLEAN_STOPS + KILLS),
    fleet.agents.slice(CLEAN_STOPS + KILLS, CLEAN_STOPS + KILLS + SILENT),
  ];
  const cleanStop = await cleanStops(events, clean);
  line('clean stop (bye) → offline seen by the client', cleanStop);
  const killedAgents = await kills(events, kill);
  line("agent's process killed (socket closed by the kernel) → offline seen", killedAgents);
  // The real agent freezes at a random point of its interval, while the protocol agents die at the worst.
  const [silentDeath, realFrozen] = await Promise.all([
    silentDeaths(events, silent, HEARTBEAT_SECONDS),
    realAgentOffline(events, frozen!.hostId, frozen!.process, 'freeze', HEARTBEAT_SECONDS),
  ]);
  line('silent death right after a heartbeat → offline seen', silentDeath);
  await frozen!.process.kill9();
  const real = {
    stop: await realAgentOffline(events, stopped!.hostId, stopped!.process, 'stop', HEARTBEAT_SECONDS),
    kill: await realAgentOffline(events, killed!.hostId, killed!.process, 'kill', HEARTBEAT_SECONDS),
    freeze: realFrozen,
  };
  for (const [how, result] of Object.entries(real))
    print(`real agent, ${how} → offline seen`, `${result.ms.toFixed(1)} ms (${result.reason})`);
  return { cleanStop, killed: killedAgents, silentDeath, realAgent: real };
}

const watchdog = setTimeout(() => {
  console.error(`\nbench:presence exceeded ${HARD_LIMIT_MS / 60_000} min: stopping (logs in ${logDir})`);
  process.exit(1);
}, HARD_LIMIT_MS);

let platform: Platform | undefined;
let failed = false;
try {
  platform = await startPlatform({ natsUrl: NATS_URL, logDir });
  console.log(`platform up (logs in ${logDir})`);
  const measured = await measure(platform);
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: 2, node: process.version, loadAverage: loadavg() },
    notes: [
      'auth, broker, gateway, poll, relay: node apps/<app>/dist/main.js, one each, on NATS, Redis, Postgres',
      `client: the gateway's events WebSocket (${HOSTS} protocol agents and 3 real agents in the account)`,
      `poll heartbeat ${HEARTBEAT_SECONDS} s; its deadline is 1.5 intervals, so a silent death shows after it`,
    ],
    hosts: HOSTS,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...measured,
  };
  await writeResults('presence', quick, results);
} catch (error) {
  failed = true;
  console.error(`\nbench:presence failed (logs kept in ${logDir})`);
  throw error;
} finally {
  clearTimeout(watchdog);
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
  await platform?.stop();
  if (!failed) await rm(logDir, { recursive: true, force: true });
}
