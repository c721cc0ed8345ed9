/**
 * Agents per poll instance (issue 3's closing note): heartbeats per second one poll instance sustains with
 * Redis presence, memory per connected agent against a bare `ws` server in the same run, and the time from
 * `kill -9` of a poll instance to all its agents online again. Poll instances are real processes
 * (`node apps/poll/dist/main.js`, configured by environment only) on the machine's NATS and Redis; agents
 * are simulated in this process at the protocol level (real WebSockets, real proof of key, the agent's
 * back-off); the broker's host-key lookup is answered over NATS from this process (not measured).
 *
 *   npm run bench:agents [-- --quick] [-- --agents=<n>] [-- --profile]
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { RedisPresenceStore } from '@hostlink/presence';
import { connectTestRedis, deleteKeysWithPrefix, testRedisUrl } from '@hostlink/presence/testing/redis';
import { POLL_PATH } from '@hostlink/protocol';
import { repoRoot } from '@hostlink/testing';
import { AgentFleet } from './agents/agent-fleet.js';
import { type FailoverRound, failoverRound } from './agents/failover.phase.js';
import { FirstUpBalancer } from './agents/first-up-balancer.js';
import { heartbeatCeiling, marginalCost } from './agents/heartbeat.phase.js';
import { newHostIdentity } from './agents/host-identity.js';
import { HostKeys, startHostKeyResponder } from './agents/host-key-responder.js';
import { bareWsMemory, pollMemory } from './agents/memory.phase.js';
import { type PollCluster, type PollInstance, startPollInstance } from './agents/poll-instance.js';
import { machineCpu } from './agents/proc-stats.js';
import { redisSetExCeiling } from './agents/redis-baseline.js';
import { bytesPerKey } from './agents/redis-stats.js';
import { print, printFailover, printHeartbeats, printMemory } from './agents/report.js';
import { ServiceProcess } from './agents/service-process.js';
import { summarize } from './stats.js';

const quick = process.argv.includes('--quick');
/** `--profile`: poll-a runs with --cpu-prof through memory and heartbeats, then stops; nothing is recorded. */
const profile = process.argv.includes('--profile');
const agentsArgument = process.argv.find((arg) => arg.startsWith('--agents='));
const AGENTS = agentsArgument ? Number(agentsArgument.slice('--agents='.length)) : quick ? 200 : 1000;
const RATES = quick ? [1000, 4000, 16000] : [2000, 5000, 10000, 20000, 40000, 80000];
const STEP_SECONDS = quick ? 3 : 5;
const ROUNDS = quick ? 1 : 3;
const SETTLE_MS = quick ? 1500 : 3000;
/** Warm rounds of connecting every agent for the memory figures (median over them). */
const MEMORY_ROUNDS = quick ? 1 : 3;
/** Production's interval: agents heartbeat at it, except while the ceiling is being driven. */
const HEARTBEAT_SECONDS = 5;
/** The whole run stops by itself after this, cleaning up, even if something hangs. */
const HARD_LIMIT_MS = (quick ? 4 : 12) * 60_000;
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

async function heartbeats(pollA: PollInstance) {
  const redisCeiling = await redisSetExCeiling(cluster.redisUrl, `${cluster.redisKeyPrefix}redis-benchmark`);
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
  if (redisCeiling) print('baseline: redis-benchmark -P 16 SET EX', `${redisCeiling.toFixed(0)} /s`);
  return {
    steps,
    stepSeconds: STEP_SECONDS,
    ceilingPerSecond: best.handledPerSecond,
    saturated,
    pollCpuMicrosPerHeartbeatAtTop: top.pollCpuMicrosPerHeartbeat,
    heartbeatsPerPollCoreSecond: 1e6 / top.pollCpuMicrosPerHeartbeat,
    pollMarginalMicrosPerHeartbeat: cost.microsPerHeartbeat,
    pollIdleCores: cost.idleCores,
    redisBenchmarkSetExP16PerSecond: redisCeiling,
  };
}

/**
 * Every agent behind one balancer address in front of two instances, at production heartbeats; each round
 * kills the instance holding them all and restarts it (new id, same port) for the next round.
 */
async function failover(pollA: PollInstance) {
  await fleet.stopAll();
  const instances = [pollA, await poll('poll-b')];
  const balancer = await FirstUpBalancer.start(instances.map((instance) => instance.port));
  cleanups.push(() => balancer.close());
  await fleet.connectAll(`ws://127.0.0.1:${balancer.port}${POLL_PATH}`, 100, 60_000);
  const rounds: FailoverRound[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const holder = instances.findIndex((instance) =>
      fleet.agents.every((agent) => agent.pollId === instance.id),
    );
    if (holder < 0) throw new Error('agents are not all on one poll instance before the kill');
    const [victim, survivor] = [instances[holder]!, instances[1 - holder]!];
    await delay(HEARTBEAT_SECONDS * 1000);
    const result = await failoverRound(fleet, store, victim, survivor, 120_000);
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
  const { pollA, result: memoryResult } = await memory();
  const heartbeatResult = await heartbeats(pollA);
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
  const failoverResult = await failover(pollA);
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
      'agents simulated in the bench process: real WebSockets, real proof of static key, agent back-off mirrored',
      'broker host-key lookups answered over NATS by the bench process itself; the broker is not measured',
      '2-core machine shared by poll, Redis, NATS and the load generator: read ratios and CPU per heartbeat',
    ],
    memory: memoryResult,
    heartbeats: heartbeatResult,
    failover: failoverResult,
    pollWarnings: warnings.length,
    hostKeyLookups: keys.requests,
    agentCloses: Object.fromEntries(fleet.counters.closes),
    agentFatalCloses: fleet.counters.fatal,
  };
  const folder = join(repoRoot(), 'bench', 'results');
  await mkdir(folder, { recursive: true });
  const file = join(folder, `${new Date().toISOString().slice(0, 10)}-agents${quick ? '-quick' : ''}.json`);
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwritten ${file}`);
  await cleanUp();
  await rm(logDir, { recursive: true, force: true });
} catch (error) {
  console.error(`\nbench:agents failed (logs kept in ${logDir})`);
  await cleanUp();
  throw error;
} finally {
  clearTimeout(watchdog);
}
