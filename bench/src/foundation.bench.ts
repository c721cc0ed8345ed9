/**
 * Time to first byte and download throughput, agent to client, through the relay and direct, with the
 * real embedded platform (`npm start`), a real agent and the real CLI. A plain loopback TCP copy of the
 * same bytes runs in the same process as the baseline, so figures are read as ratios on a noisy machine;
 * what a person would use instead is measured beside it: `scp` of the same file and `ssh host true`, against
 * a private sshd on loopback (`bench/setup.sh` installs OpenSSH).
 *
 *   npm run bench:foundation [-- --quick] [-- --mib=N]   (N: size of the big file in MiB)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { basename, join } from 'node:path';
import { ApiClient, HostConnection, type Via } from '@hostlink/client-sdk';
import { createNodeCryptoBackend, createNodeLinkFactory } from '@hostlink/client-sdk/node';
import {
  enrollHost,
  freePort,
  HOST_PASSWORD,
  sha256File,
  startEmbeddedStack,
  writeLargeFile,
} from '@hostlink/testing';
import { plainTcpCopy } from './baselines/plain-tcp.js';
import { LoopbackSsh, SSH_CIPHER } from './baselines/ssh.js';
import { mbps, ms, summarize } from './stats.js';
import { writeResults } from './report/results-file.js';

const quick = process.argv.includes('--quick');
/** `--relay-ws`: WebSocket relay legs (what a browser gets) instead of the raw TCP legs Node peers prefer. */
const relayWs = process.argv.includes('--relay-ws');
const mibArg = process.argv.find((arg) => arg.startsWith('--mib='))?.slice('--mib='.length);
const BIG = Number(mibArg ?? (quick ? 64 : 2048)) * 1024 * 1024;
if (!Number.isInteger(BIG) || BIG <= 0) throw new Error(`--mib wants a whole number of MiB, not ${mibArg}`);
const CONNECTIONS = quick ? 20 : 200;
const CLI_RUNS = quick ? 5 : 20;
const ROUNDS = quick ? 1 : 3;

const share = await mkdtemp(join(tmpdir(), 'hostlink-bench-'));
await writeFile(join(share, 'small.txt'), 'first byte\n');
const bigHash = await writeLargeFile(join(share, 'big.bin'), BIG);
const relayPort = relayWs ? await freePort() : 0;
const stack = await startEmbeddedStack(
  relayWs
    ? {
        HOSTLINK_RELAY_PORT: String(relayPort),
        HOSTLINK_PUBLIC_RELAY_URL: `ws://127.0.0.1:${relayPort}/relay`,
      }
    : {},
);
const host = await enrollHost(stack, 'bench-host', [share]);
const ssh = await LoopbackSsh.start(await mkdtemp(join(tmpdir(), 'hostlink-bench-ssh-')));
const root = `/${basename(share)}`;

const api = new ApiClient(stack.urls.gateway);
const tokens = await api.passwordGrant(stack.admin.email, stack.admin.password);
const { sessionToken } = await api.createSession(tokens.accessToken);
const [target] = (await api.listHosts(sessionToken)).hosts.filter((entry) => entry.name === host.name);
const backend = createNodeCryptoBackend();
const staticKeyPair = await backend.generateKeyPair();
const links = createNodeLinkFactory();

async function open(via: Via): Promise<HostConnection> {
  const clientPublicKey = Buffer.from(staticKeyPair.publicKey).toString('base64url');
  const offer = await api.connect(sessionToken, target!.id, clientPublicKey);
  return HostConnection.open({ offer, staticKeyPair, backend, links, via, hostPassword: HOST_PASSWORD });
}

/** From asking the broker to connect to the first byte of a file (or the first listing). */
async function firstByte(via: Via, what: 'read' | 'list'): Promise<number> {
  const started = performance.now();
  const connection = await open(via);
  try {
    if (what === 'list') {
      await connection.list(root);
      return performance.now() - started;
    }
    const reply = await connection.read(`${root}/small.txt`);
    for await (const chunk of reply.body) if (chunk.length > 0) break;
    return performance.now() - started;
  } finally {
    connection.close();
  }
}

async function sdkDownload(via: Via): Promise<number> {
  const connection = await open(via);
  try {
    const started = performance.now();
    const reply = await connection.read(`${root}/big.bin`);
    let received = 0;
    for await (const chunk of reply.body) received += chunk.length;
    if (received !== BIG) throw new Error(`received ${received} of ${BIG} bytes`);
    return (performance.now() - started) / 1000;
  } finally {
    connection.close();
  }
}

async function repeat(times: number, once: () => Promise<number>): Promise<number[]> {
  const values: number[] = [];
  for (let i = 0; i < times; i += 1) values.push(await once());
  return values;
}

async function cliGet(via: Via, remote: string, local: string): Promise<number> {
  const started = performance.now();
  await host.user.ok(['get', '--via', via, '--force', `${host.name}:${root}/${remote}`, local], {
    env: { HOSTLINK_HOST_PASSWORD: HOST_PASSWORD },
  });
  return (performance.now() - started) / 1000;
}

const emptyDownloads = () => ({ sdkMbps: [] as number[], cliMbps: [] as number[] });

/**
 * This machine is a VM that hands memory freed for a couple of seconds back to its host: writing a GiB
 * into the page cache costs 0.3 s of system time right after another file's pages were freed and
 * 0.9-1.3 s once they were handed back (`node` writing 256 KiB at a time, measured here). Every download
 * to disk, scp's and Hostlink's alike, starts after the same pause since the last file was removed, so
 * neither writes into memory the other just freed.
 */
const settleMemory = () => sleep(quick ? 2000 : 8000);

async function scpDownload(folder: string): Promise<number> {
  await settleMemory();
  const local = join(folder, 'scp.bin');
  const seconds = await ssh.scp(join(share, 'big.bin'), local);
  if ((await sha256File(local)) !== bigHash) throw new Error('scp copy corrupted');
  await rm(local);
  return mbps(BIG, seconds);
}

/** `hostlink get` as a whole process, to disk; the SHA-256 check comes after the clock stops, as for scp. */
async function checkedCliDownload(via: Via, folder: string): Promise<number> {
  await settleMemory();
  const local = join(folder, `big-${via}.bin`);
  const seconds = await cliGet(via, 'big.bin', local);
  if ((await sha256File(local)) !== bigHash) throw new Error(`${via} download corrupted`);
  await rm(local);
  return mbps(BIG, seconds);
}

const results: Record<string, unknown> = {
  machine: { cpus: 2, node: process.version },
  bigBytes: BIG,
  relayLegs: relayWs ? 'websocket' : 'tcp',
};
const print = (label: string, value: string) => console.log(`${label.padEnd(58)} ${value}`);
try {
  // The first login pays the host password's scrypt (later ones within minutes hit the agent's cache):
  // reported on its own, not mixed into the 200 warm connections.
  results.firstByteCold = await firstByte('relay', 'read');
  print('SDK connect → first byte, first connection (relay, cold)', ms(results.firstByteCold as number));
  for (const via of ['relay', 'direct'] as const) {
    const reads: number[] = [];
    const lists: number[] = [];
    for (let i = 0; i < CONNECTIONS; i += 1) {
      reads.push(await firstByte(via, 'read'));
      lists.push(await firstByte(via, 'list'));
    }
    const read = summarize(reads);
    const list = summarize(lists);
    results[`firstByte.${via}`] = read;
    results[`firstListing.${via}`] = list;
    print(`SDK connect → first byte (${via}, n=${read.n})`, `p50 ${ms(read.p50)}  p99 ${ms(read.p99)}`);
    print(`SDK connect → first listing (${via}, n=${list.n})`, `p50 ${ms(list.p50)}  p99 ${ms(list.p99)}`);
  }

  const downloadDir = await mkdtemp(join(tmpdir(), 'hostlink-bench-out-'));
  const cliSmall = await repeat(
    CLI_RUNS,
    async () => (await cliGet('relay', 'small.txt', join(downloadDir, 's'))) * 1000,
  );
  results.cliSmallGet = summarize(cliSmall);
  print(
    `\`hostlink get\` of a small file, whole process (relay, n=${CLI_RUNS})`,
    `p50 ${ms(summarize(cliSmall).p50)}`,
  );

  const sshTrue = summarize(await repeat(CLI_RUNS, () => ssh.sshTrue()));
  results.sshTrue = sshTrue;
  print(`baseline: \`ssh host true\` (n=${CLI_RUNS})`, `p50 ${ms(sshTrue.p50)}`);
  for (const via of ['relay', 'direct'] as const) {
    const firstByte = results[`firstByte.${via}`] as { p50: number };
    print(`  connect → first byte (${via}) is faster by`, `${(sshTrue.p50 / firstByte.p50).toFixed(1)}x`);
  }
  const baseline = await plainTcpCopy(BIG);
  results.plainTcpMbps = mbps(BIG, baseline);
  print(
    `baseline: plain loopback TCP copy, ${BIG / 2 ** 20} MiB`,
    `${mbps(BIG, baseline).toFixed(0)} Mbit/s`,
  );
  // Rounds interleave scp and Hostlink, so a noisy minute on the shared machine hits both.
  const downloads = { scp: [] as number[], relay: emptyDownloads(), direct: emptyDownloads() };
  for (let round = 1; round <= ROUNDS; round += 1) {
    downloads.scp.push(await scpDownload(downloadDir));
    print(
      `baseline: scp -c ${SSH_CIPHER}, ${BIG / 2 ** 20} MiB, round ${round}`,
      `${downloads.scp.at(-1)!.toFixed(0)} Mbit/s`,
    );
    for (const via of ['relay', 'direct'] as const) {
      const sdkMbps = mbps(BIG, await sdkDownload(via));
      const cliMbps = await checkedCliDownload(via, downloadDir);
      downloads[via].sdkMbps.push(sdkMbps);
      downloads[via].cliMbps.push(cliMbps);
      print(`SDK download ${BIG / 2 ** 20} MiB (${via}, to memory)`, `${sdkMbps.toFixed(0)} Mbit/s`);
      print(
        `\`hostlink get\` ${BIG / 2 ** 20} MiB (${via}, to disk, SHA-256 checked)`,
        `${cliMbps.toFixed(0)} Mbit/s (${(cliMbps / downloads.scp.at(-1)!).toFixed(2)}x scp)`,
      );
    }
  }
  results.scpMbps = downloads.scp;
  results['download.relay'] = downloads.relay;
  results['download.direct'] = downloads.direct;
  await writeResults(`foundation${relayWs ? '-relay-ws' : ''}`, quick, results);
} finally {
  await host.agent.stop();
  await ssh.stop();
  await stack.stop();
  await rm(share, { recursive: true, force: true });
}
