/**
 * Broker requests over NATS, the gateway's host listing with 1,000 hosts in the account, and a real
 * agent's idle memory (issue 6, figures 7 and the agent half of 8). Auth, broker, gateway, poll and relay
 * run as real processes (`node apps/<app>/dist/main.js`, environment only) on the machine's NATS, Redis and
 * Postgres (a fresh schema); a real agent is enrolled and online. Baselines run in the same run: a bare
 * nats.js echo responder, the gateway's own `/health/live` and a bare `node:http` server returning the same
 * JSON body, and a bare Node process holding one `ws` connection.
 *
 *   npm run bench:broker [-- --quick] [-- --profile]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiClient } from '@hostlink/client-sdk';
import { ApiPath, ConnectOffer, ListHostsResponse, OpsPath, Subject } from '@hostlink/protocol';
import { cpuSeconds } from './agents/proc-stats.js';
import { ServiceProcess } from './agents/service-process.js';
import { bareWsClientMemory, idleMemory, INSPECT } from './broker/idle-memory.js';
import { enrollHosts, startQuietAgent, startRealAgent } from './broker/hosts.js';
import { type HttpLoad, httpLoad } from './broker/http-load.js';
import { NestRpc, timeCalls } from './broker/nats-rpc.js';
import { type Platform, startPlatform } from './broker/platform.js';
import { ms, type Summary, summarize } from './stats.js';
import { writeResults } from './report/results-file.js';

const quick = process.argv.includes('--quick');
/** `--profile`: broker and gateway run with --cpu-prof; the profiles are kept in the log folder. */
const profile = process.argv.includes('--profile');
const REQUESTS = quick ? 300 : 2000;
const CONCURRENCY = 16;
const ROUNDS = quick ? 1 : 3;
const HOSTS = 1000;
const HTTP_SECONDS = quick ? 3 : 10;
const HTTP_CONNECTIONS = 10;
const SETTLE_MS = quick ? 3_000 : 10_000;
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const HARD_LIMIT_MS = (quick ? 4 : 10) * 60_000;

const logDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-broker-'));
const processes: { stop(): Promise<void> }[] = [];
const cleanups: (() => Promise<void>)[] = [];
const print = (label: string, value: string) => console.log(`${label.padEnd(60)} ${value}`);
const latency = (s: Summary) => `p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  (n=${s.n})`;

/**
 * Sequential and concurrent latencies of each named call, interleaved round by round so drift hits all,
 * and the CPU the answering process spent per call (robust where wall-clock latency is not: the machine is
 * shared).
 */
async function compare(calls: Record<string, { call: () => Promise<unknown>; pid: number }>, count: number) {
  const samples: Record<string, { sequential: number[]; concurrent: number[]; cpu: number[] }> = {};
  for (const name of Object.keys(calls)) samples[name] = { sequential: [], concurrent: [], cpu: [] };
  const per = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, { call, pid }] of Object.entries(calls)) {
      const sample = samples[name]!;
      await timeCalls(call, { count: 50, concurrency: 1 });
      const cpuBefore = cpuSeconds(pid);
      sample.sequential.push(...(await timeCalls(call, { count: per, concurrency: 1 })));
      sample.cpu.push(((cpuSeconds(pid) - cpuBefore) / per) * 1e6);
      sample.concurrent.push(...(await timeCalls(call, { count: per, concurrency: CONCURRENCY })));
    }
  }
  return Object.fromEntries(
    Object.entries(samples).map(([name, { sequential, concurrent, cpu }]) => [
      name,
      {
        sequential: summarize(sequential),
        concurrent: summarize(concurrent),
        cpuMicrosPerRequest: summarize(cpu).p50,
      },
    ]),
  );
}

async function agentMemory(agent: ServiceProcess) {
  const options = { settleMs: SETTLE_MS, rounds: 3 };
  const held = await idleMemory(agent, options);
  const bare = await bareWsClientMemory(logDir, options);
  print('agent idle RSS after a full GC', `${(held.rssBytes / 2 ** 20).toFixed(1)} MiB`);
  print('  its V8 heap in use after the GC', `${(held.heapUsedBytes / 2 ** 20).toFixed(1)} MiB`);
  print(
    'baseline: bare Node process holding one ws connection',
    `${(bare.rssBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  print('  ratio', `${(held.rssBytes / bare.rssBytes).toFixed(2)}x`);
  return { agent: held, bareWs: bare, ratio: held.rssBytes / bare.rssBytes };
}

async function natsRequests(platform: Platform, api: ApiClient, sessionToken: string, hostId: string) {
  const echoSubject = `${platform.subjectPrefix}.bench.echo`;
  const echo = await ServiceProcess.start(
    'echo-responder',
    'bench/dist/broker/echo-responder.js',
    { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    { logDir, ready: /echo responder ready/, args: [NATS_URL, echoSubject] },
  );
  processes.push(echo);
  const rpc = await NestRpc.connect(NATS_URL, platform.subjectPrefix);
  const quiet = await startQuietAgent(api, sessionToken, 'bench-protocol-agent');
  cleanups.push(() => quiet.stop());
  const clientPublicKey = Buffer.alloc(32, 7).toString('base64url');
  const connectRequest = { sessionToken, hostId, clientPublicKey };
  const connectTo = (id: string) => async () => {
    const offer = ConnectOffer.parse(
      await rpc.request(Subject.brokerConnect, { ...connectRequest, hostId: id }),
    );
    if (offer.relay === null) throw new Error('the broker offered no relay');
    return offer;
  };
  // The relay reports its load every few seconds; until the broker heard it, connects offer no relay.
  for (let tries = 0; !(await connectTo(hostId)().then(Boolean, () => false)); tries += 1) {
    if (tries > 100) throw new Error('the broker never offered the relay');
    await delay(200);
  }
  const list = async () =>
    ListHostsResponse.parse(await rpc.request(Subject.brokerListHosts, { sessionToken }));
  const results = await compare(
    {
      echo: { call: () => rpc.raw(echoSubject, connectRequest), pid: echo.pid },
      listHosts: { call: list, pid: platform.broker.pid },
      connect: { call: connectTo(hostId), pid: platform.broker.pid },
      connectQuiet: { call: connectTo(quiet.hostId), pid: platform.broker.pid },
    },
    REQUESTS,
  );
  const labels: Record<string, string> = {
    echo: 'baseline: bare nats.js echo',
    listHosts: 'broker host list (2 hosts)',
    connect: 'broker connect (the real agent opens a relay leg)',
    connectQuiet: 'broker connect (protocol agent: no relay leg)',
  };
  for (const [name, result] of Object.entries(results)) {
    print(`${labels[name] ?? name}, one at a time`, latency(result.sequential));
    print(`  ${CONCURRENCY} in flight`, latency(result.concurrent));
    print(`  CPU of the answering process per request`, `${result.cpuMicrosPerRequest.toFixed(0)} µs`);
  }
  const connectResult = results['connect']!.sequential;
  const echoResult = results['echo']!.sequential;
  print('  connect p50 over bare echo p50', `${(connectResult.p50 / echoResult.p50).toFixed(2)}x`);
  return { rpc, list, results };
}

async function hostListing(platform: Platform, api: ApiClient, sessionToken: string, rpc: NestRpc) {
  const already = (await api.listHosts(sessionToken)).hosts.length;
  const enrollSeconds = await enrollHosts(api, sessionToken, HOSTS - already);
  const hosts = (await api.listHosts(sessionToken)).hosts.length;
  print(
    `${HOSTS - already} hosts enrolled through the gateway's enrollment API`,
    `${enrollSeconds.toFixed(1)} s`,
  );
  if (hosts !== HOSTS) throw new Error(`expected ${HOSTS} hosts in the account, listed ${hosts}`);
  const listings = quick ? 50 : 200;
  const cpuBefore = cpuSeconds(platform.broker.pid);
  const natsList = summarize(
    await timeCalls(() => rpc.request(Subject.brokerListHosts, { sessionToken }), {
      count: listings,
      concurrency: 1,
    }),
  );
  const natsListCpuMicros = ((cpuSeconds(platform.broker.pid) - cpuBefore) / listings) * 1e6;
  print(`broker host list (${HOSTS} hosts) over NATS, one at a time`, latency(natsList));
  print('  broker CPU per request', `${natsListCpuMicros.toFixed(0)} µs`);
  const body = await fetch(`${platform.gatewayUrl}${ApiPath.hosts}`, {
    headers: { authorization: `Bearer ${sessionToken}` },
  }).then((response) => response.text());
  const bodyFile = join(logDir, 'hosts.json');
  await writeFile(bodyFile, body);
  const bare = await ServiceProcess.start(
    'bare-json-server',
    'bench/dist/broker/bare-json-server.js',
    { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    { logDir, ready: /bare json server listening/, args: [bodyFile] },
  );
  processes.push(bare);
  const [, barePort] = await bare.waitForLog(/bare json server listening (\d+)/, 1000);
  const load = (url: string, headers?: Record<string, string>) =>
    httpLoad(url, { seconds: HTTP_SECONDS, connections: HTTP_CONNECTIONS, headers });
  const auth = { authorization: `Bearer ${sessionToken}` };
  const live = await load(`${platform.gatewayUrl}${OpsPath.live}`);
  const before = { gateway: cpuSeconds(platform.gateway.pid), broker: cpuSeconds(platform.broker.pid) };
  const hostsRun = await load(`${platform.gatewayUrl}${ApiPath.hosts}`, auth);
  const perRequest = (pid: number, at: number) => ((cpuSeconds(pid) - at) / hostsRun.requests) * 1e6;
  const cpuMicrosPerListing = {
    gateway: perRequest(platform.gateway.pid, before.gateway),
    broker: perRequest(platform.broker.pid, before.broker),
  };
  const runs: Record<string, HttpLoad> = {
    live,
    hosts: hostsRun,
    bare: await load(`http://127.0.0.1:${barePort}/`),
  };
  const line = (run: HttpLoad) =>
    `${run.requestsPerSecond.toFixed(0)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms`;
  print(`gateway GET ${ApiPath.hosts} (${HOSTS} hosts, ${body.length} B)`, line(runs['hosts']!));
  print(`baseline: gateway GET ${OpsPath.live}`, line(runs['live']!));
  print('baseline: bare node:http server, same body', line(runs['bare']!));
  print(
    '  CPU per listing under load',
    `gateway ${cpuMicrosPerListing.gateway.toFixed(0)} µs, broker ${cpuMicrosPerListing.broker.toFixed(0)} µs`,
  );
  return {
    hosts,
    bodyBytes: body.length,
    enrollSeconds,
    natsList,
    natsListCpuMicros,
    cpuMicrosPerListing,
    http: runs,
  };
}

const watchdog = setTimeout(() => {
  console.error(`\nbench:broker exceeded ${HARD_LIMIT_MS / 60_000} min: stopping (logs in ${logDir})`);
  void Promise.all(processes.map((service) => service.stop())).finally(() => process.exit(1));
}, HARD_LIMIT_MS);

let platform: Platform | undefined;
let failed = false;
try {
  platform = await startPlatform({
    natsUrl: NATS_URL,
    logDir,
    profiledNodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${logDir}`] : [],
  });
  processes.push(platform);
  console.log(`platform up (logs in ${logDir})\n`);
  const api = new ApiClient(platform.gatewayUrl);
  const tokens = await api.passwordGrant(platform.admin.email, platform.admin.password);
  const { sessionToken } = await api.createSession(tokens.accessToken);
  const agent = await startRealAgent(api, sessionToken, { name: 'bench-agent', logDir, nodeArgs: INSPECT });
  processes.unshift(agent);
  const memory = await agentMemory(agent.process);
  const host = (await api.listHosts(sessionToken)).hosts.find((entry) => entry.name === agent.hostName);
  if (!host?.online) throw new Error('the agent is not online');
  console.log('');
  const nats = await natsRequests(platform, api, sessionToken, host.id);
  console.log('');
  const listing = await hostListing(platform, api, sessionToken, nats.rpc);
  await nats.rpc.close();
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: 2, node: process.version, loadAverage: loadavg() },
    notes: [
      'auth, broker, gateway, poll, relay: node apps/<app>/dist/main.js, one each, on NATS, Redis, Postgres',
      'NATS requests sent by the bench as the gateway does (Nest packet); echo: bare nats.js responder process',
      `${CONCURRENCY} in flight for the concurrent runs; ${ROUNDS} rounds interleaved, samples pooled`,
      `hosts enrolled through the gateway's enrollment API up to ${HOSTS}, the real and the protocol agent's among them`,
      'agent and bare ws client run with --inspect=127.0.0.1:0 only to force a GC before reading RSS',
    ],
    requests: REQUESTS,
    concurrency: CONCURRENCY,
    nats: nats.results,
    listing,
    agentMemory: memory,
  };
  await writeResults('broker', quick, results);
} catch (error) {
  failed = true;
  console.error(`\nbench:broker failed (logs kept in ${logDir})`);
  throw error;
} finally {
  clearTimeout(watchdog);
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  for (const service of processes) await service.stop().catch(() => undefined);
  if (!profile && !failed) await rm(logDir, { recursive: true, force: true });
  else console.log(`logs and profiles in ${logDir}`);
}
