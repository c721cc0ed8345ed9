/**
 * Agents per poll instance (issue 6, figure 5): 19,000 agents (the machine's open-file limit is 20,000 per
 * process) heartbeating at the production interval; memory per connected agent against a bare `ws` server
 * in the same run; heartbeats one poll instance handles per core; the presence store's write path at its
 * ceiling against `redis-benchmark -P 16` SET EX; the time from `kill -9` of a poll instance to all its
 * agents online again. Poll instances are real processes
 * (`node apps/poll/dist/main.js`, configured by environment only) on the machine's NATS and Redis; agents
 * are simulated in this process at the protocol level (real WebSockets, real proof of key, the agent's
 * back-off); the broker's host-key lookup is answered over NATS from this process (not measured).
 *
 *   npm run bench:agents [-- --quick] [-- --agents=<n>] [-- --profile]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RedisPresenceStore } from '@hostlink/presence';
import { connectTestRedis, deleteKeysWithPrefix, testRedisUrl } from '@hostlink/presence/testing/redis';
import { POLL_PATH } from '@hostlink/protocol';
import { AgentFleet } from './agents/agent-fleet.js';
import { type FailoverRound, failoverRound } from './agents/failover.phase.js';
import { heartbeatCeiling, marginalCost } from './agents/heartbeat.phase.js';
import { newHostIdentity } from './agents/host-identity.js';
import { HostKeys, startHostKeyResponder } from './agents/host-key-responder.js';
import { bareWsMemory, pollMemory } from './agents/memory.phase.js';
import { type PollCluster, type PollInstance, startPollInstance } from './agents/poll-instance.js';
import { machineCpu } from './agents/proc-stats.js';
import { bytesPerKey } from './agents/redis-stats.js';
import { print, printFailover, printHeartbeats, printMemory, printStoreCeiling } from './agents/report.js';
import { ServiceProcess } from './agents/service-process.js';
import { storeCeiling } from './agents/store-ceiling.phase.js';
import { summarize } from './stats.js';
import { writeResults } from './report/results-file.js';

const quick = process.argv.includes('--quick');
/** `--profile`: poll-a runs with --cpu-prof through memory and heartbeats, then stops; nothing is recorded. */
const profile = process.argv.includes('--profile');
const agentsArgument = process.argv.find((arg) => arg.startsWith('--agents='));
/** `--only=failover` (any of memory, heartbeats, store, failover, comma-separated): those alone, nothing recorded. */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const runs = (phase: string) => !only || only.includes(phase);
const AGENTS = agentsArgument ? Number(agentsArgument.slice('--agents='.length)) : quick ? 200 : 19_000;
/** Driven heartbeats per second; each agent must get one within poll's deadline (1.5 intervals) or be closed. */
const RATES = quick ? [1000, 4000, 16000] : [5000, 10000, 20000, 40000, 80000];
const STEP_SECONDS = quick ? 3 : 5;
const ROUNDS = quick ? 1 : 3;
const SETTLE_MS = quick ? 1500 : 3000;
/** Rounds of connecting every agent for the memory figures (median over them). */
const MEMORY_ROUNDS = quick ? 1 : 3;
/** The presence store's ceiling: rounds, seconds each, and SET EX requests of the baseline beside each. */
const STORE_ROUNDS = quick ? 1 : 3;
const STORE_SECONDS = quick ? 2 : 3;
const SET_EX_REQUESTS = quick ? 500_000 : 2_000_000;
/** Production's interval: agents heartbeat at it, except while the ceiling is being driven. */
const HEARTBEAT_SECONDS = 5;
/** The whole run stops by itself after this, cleaning up, even if something hangs. */
const HARD_LIMIT_MS = (quick ? 4 : 15) * 60_000;
const NATS_URL = 'nats://127.0.0.1:4222';
/** Lets the bench ask a process for a full GC before reading its memory (see inspector-gc.ts). */
const INSPECT = ['--inspect=127.0.0.1:0'];

const runId = randomBytes(6).toString('hex');
const logDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-agents-'));
const PROFILE = profile ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [];
const cluster: PollCluster = {
  natsUrl: NATS_URL,
  natsSubjectPrefix: `bench-${runId}`,
  redisUrl: testRedisUrl(),
  redisKeyPrefix: `hostlink-bench:${runId}:`,
  heartbeatSeconds: HEARTBEAT_SECONDS,
  logDir,
};
const hosts = Array.from({ length: AGENTS }, () => newHostIdentity());
const keys = new HostKeys(hosts);
const fleet = new AgentFleet(hosts);
const redis = await connectTestRedis(cluster.redisUrl);
const store = new RedisPresenceStore({ redis, keyPrefix: cluster.redisKeyPrefix });
const processes: ServiceProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

async function cleanUp(): Promise<void> {
  await Promise.race([fleet.stopAll(), delay(5_000)]);
  for (const service of processes) await service.stop().catch(() => undefined);
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await deleteKeysWithPrefix(redis, cluster.redisKeyPrefix);
  redis.disconnect();
}

async function poll(id: string, options: { port?: number; inspect?: boolean } = {}): Promise<PollInstance> {
  const instance = await startPollInstance(cluster, id, {
    port: options.port,
    nodeArgs: options.inspect ? [...INSPECT, ...PROFILE] : [],
  });
  processes.push(instance.process);
  return instance;
}

/** Cores the rest of the machine keeps busy before anything of this run starts. */
async function backgroundLoad(): Promise<number> {
  const before = machineCpu();
  await delay(2000);
  const after = machineCpu();
  return (after.busy - before.busy) / ((after.total - before.total) / 2);
}

/** The bare `ws` baseline, then poll A with every agent online; the agents stay on poll A. */
async function memory() {
  const bare = await ServiceProcess.start(
    'bare-ws',
    'bench/dist/agents/bare-ws-server.js',
    {},
    {
      logDir,
      ready: /bare ws listening/,
      nodeArgs: INSPECT,
    },
  );
  processes.push(bare);
  const [, port] = await bare.waitForLog(/bare ws listening (\d+)/, 1000);
  const baseline = await bareWsMemory(bare, `ws://127.0.0.1:${port}${POLL_PATH}`, AGENTS, {
    settleMs: SETTLE_MS,
    rounds: MEMORY_ROUNDS,
  });
  await bare.stop();
  const pollA = await poll('poll-a', { inspect: true });
  const held = await pollMemory(pollA.process, pollA.url, fleet, {
    settleMs: SETTLE_MS,
    rounds: MEMORY_ROUNDS,
  });
  printMemory(baseline, held);
  const redisBytesPerHost = await bytesPerKey(redis, cluster.redisKeyPrefix);
  print('  Redis memory per online host (MEMORY USAGE of its key)', `${redisBytesPerHost} B`);
  const result = {
    measured:
      'RSS after a full GC with N connections held minus RSS before connecting them; median of warm rounds',
    bareWs: baseline,
    poll: held,
    ratio: held.perConnectionBytes / baseline.perConnectionBytes,
    redisBytesPerHost,
  };
  return { pollA, result };
}

/** Poll A with every agent online, as the memory phase leaves it, without measuring memory. */
async function withoutMemory() {
  const pollA = await poll('poll-a', { inspect: true });
  await fleet.connectAll(pollA.url, 100, 60_000);
  return { pollA, result: undefined };
}

async function heartbeats(pollA: PollInstance) {
  const steps = await heartbeatCeiling(fleet, pollA.process.pid, redis, RATES, STEP_SECONDS);
  const best = steps.reduce((a, b) => (b.handledPerSecond > a.handledPerSecond ? b : a));
  const top = steps[steps.length - 1]!;
  const saturated = steps.some((step) => step.saturated);
  const cost = marginalCost(steps);
  console.log('');
  printHeartbeats(steps);
  print(
    `heartbeats handled by one poll instance (max over steps${saturated ? '' : ', not saturated'})`,
    `${best.handledPerSecond.toFixed(0)} /s (poll ${best.pollCores.toFixed(2)} cores, machine ${best.machineBusyCores.toFixed(2)} of 2 busy)`,
  );
  print(
    'poll CPU per heartbeat at the highest load',
    `${top.pollCpuMicrosPerHeartbeat.toFixed(1)} µs → ${(1e6 / top.pollCpuMicrosPerHeartbeat).toFixed(0)} /s per poll core`,
  );
  print('poll CPU per extra heartbeat (slope over steps)', `${cost.microsPerHeartbeat.toFixed(1)} µs`);
  return {
    steps,
    stepSeconds: STEP_SECONDS,
    ceilingPerSecond: best.handledPerSecond,
    saturated,
    pollCpuMicrosPerHeartbeatAtTop: top.pollCpuMicrosPerHeartbeat,
    heartbeatsPerPollCoreSecond: 1e6 / top.pollCpuMicrosPerHeartbeat,
    pollMarginalMicrosPerHeartbeat: cost.microsPerHeartbeat,
    pollIdleCores: cost.idleCores,
  };
}

/** The presence store alone at its ceiling (a process of its own), against redis-benchmark, interleaved. */
async function storeWrites() {
  const result = await storeCeiling({
    redis,
    redisUrl: cluster.redisUrl,
    keyPrefix: `${cluster.redisKeyPrefix}store-`,
    hosts: AGENTS,
    seconds: STORE_SECONDS,
    perTurn: 1000,
    rounds: STORE_ROUNDS,
    setExRequests: SET_EX_REQUESTS,
    logDir,
  });
  printStoreCeiling(result.rounds);
  print(
    `presence writes per second at the store's ceiling (${AGENTS} hosts, median)`,
    `${result.writesPerSecond.p50.toFixed(0)} /s; redis-benchmark -P 16 SET EX ${result.setExPerSecond.p50.toFixed(0)} /s: ` +
      `${(result.writesPerSecond.p50 / result.setExPerSecond.p50).toFixed(2)}x`,
  );
  return result;
}

/**
 * Every agent on two instances, at production heartbeats, each attempt to the first that accepts (as a
 * Service in front of them would route: a userspace proxy holding two sockets per agent would need
 * processes of its own past the open-file limit, and their CPU, on this two-core machine); each round
 * kills the instance holding them all and restarts it (new id, same port) for the next round.
 */
async function failover(pollA: PollInstance) {
  await fleet.stopAll();
  const instances = [pollA, await poll('poll-b')];
  await fleet.connectAll(
    instances.map((instance) => instance.url),
    100,
    120_000,
  );
  const rounds: FailoverRound[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const holder = instances.findIndex((instance) =>
      fleet.agents.every((agent) => agent.pollId === instance.id),
    );
    if (holder < 0) throw new Error('agents are not all on one poll instance before the kill');
    const [victim, survivor] = [instances[holder]!, instances[1 - holder]!];
    await delay(HEARTBEAT_SECONDS * 1000);
    const result = await failoverRound(fleet, { store, redis }, victim, survivor, 120_000);
    rounds.push(result);
    printFailover(result);
    instances[holder] = await poll(`${victim.id.replace(/-r\d+$/, '')}-r${round + 1}`, { port: victim.port });
  }
  const allOnline = summarize(rounds.map((round) => round.allOnlineSeconds));
  print(
    `kill -9 → all ${AGENTS} online again (${ROUNDS} rounds)`,
    `p50 ${allOnline.p50.toFixed(2)} s, min ${allOnline.min.toFixed(2)} s, max ${allOnline.max.toFixed(2)} s`,
  );
  return {
    rounds,
    allOnlineSeconds: allOnline,
    backoff: 'agent policy mirrored: 1 s base, x2, 30 s cap, each delay uniform in [0.1, 1] of the interval',
  };
}

const watchdog = setTimeout(() => {
  console.error(`\nbench:agents exceeded ${HARD_LIMIT_MS / 60_000} min: stopping (logs in ${logDir})`);
  for (const service of processes) void service.kill9();
  void cleanUp().finally(() => process.exit(1));
}, HARD_LIMIT_MS);

try {
  const background = await backgroundLoad();
  const responder = await startHostKeyResponder(keys, {
    url: NATS_URL,
    subjectPrefix: cluster.natsSubjectPrefix,
  });
  cleanups.push(() => responder.close());
  console.log(`${AGENTS} agents, heartbeat ${HEARTBEAT_SECONDS} s, logs in ${logDir}`);
  console.log(`machine busy before the run (other processes): ${background.toFixed(2)} of 2 cores\n`);
  const { pollA, result: memoryResult } = runs('memory') ? await memory() : await withoutMemory();
  const heartbeatResult = runs('heartbeats') ? await heartbeats(pollA) : undefined;
  console.log('');
  const storeResult = profile || !runs('store') ? undefined : await storeWrites();
  console.log('');
  if (profile) {
    await fleet.stopAll();
    await pollA.process.stop();
    console.log(
      `\nCPU profile of poll-a written to ${logDir} (open it in Chrome DevTools); no results recorded`,
    );
    await cleanUp();
    process.exit(0);
  }
  const failoverResult = runs('failover') ? await failover(pollA) : undefined;
  const warnings = processes
    .filter((service) => service.name.startsWith('poll'))
    .flatMap(
      (service) => service.log().match(/heartbeat not recorded|presence store failed|cannot verify/g) ?? [],
    );
  print('poll warnings (heartbeat not recorded, presence or verify failures)', String(warnings.length));

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: 2, node: process.version, backgroundBusyCores: background, loadAverage: loadavg() },
    agents: AGENTS,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    notes: [
      'poll instances: node apps/poll/dist/main.js, environment only; Redis presence, NATS bus',
      'poll-a and the bare ws server run with --inspect=127.0.0.1:0 only to force a GC before memory readings',
      `store ceiling: presence-writer process (connectServicePresence, poll's settings), ${AGENTS} hosts, 1000 touches a turn`,
      'failover: each agent attempt goes to the first instance that accepts (a Service routing to a live pod)',
      'agents simulated in the bench process: real WebSockets, real proof of static key, agent back-off mirrored',
      'broker host-key lookups answered over NATS by the bench process itself; the broker is not measured',
      '2-core machine shared by poll, Redis, NATS and the load generator: read ratios and CPU per heartbeat',
    ],
    memory: memoryResult,
    heartbeats: heartbeatResult,
    storeCeiling: storeResult,
    failover: failoverResult,
    pollWarnings: warnings.length,
    hostKeyLookups: keys.requests,
    agentCloses: Object.fromEntries(fleet.counters.closes),
    agentFatalCloses: fleet.counters.fatal,
  };
  if (only) {
    console.log(`\n--only=${only.join(',')}: no results recorded`);
    await cleanUp();
    process.exit(0);
  }
  await writeResults('agents', quick, results);
  await cleanUp();
  await rm(logDir, { recursive: true, force: true });
} catch (error) {
  console.error(`\nbench:agents failed (logs kept in ${logDir})`);
  await cleanUp();
  throw error;
} finally {
  clearTimeout(watchdog);
}
