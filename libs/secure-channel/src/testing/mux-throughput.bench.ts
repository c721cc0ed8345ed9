import { once } from 'node:events';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { initiateChannel } from '../channel/channel-handshake.js';
import { StreamMux } from '../mux/stream-mux.js';
import { createDuplexLink } from '../node/duplex-link.adapter.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';
import { BenchReceiver, type ReceiverMethod, type ReceiverReply, callReceiver } from './bench-receiver.js';

/**
 * Usage: node libs/secure-channel/dist/testing/mux-throughput.bench.js [MiB] [--runs=N] [--same-thread] [--nodelay]
 *
 * Each run opens one loopback TCP pair, sends MiB raw (the baseline: no encryption, no mux), then runs
 * the Noise handshake on the same pair and sends MiB through one mux stream. The receiver has its own
 * worker thread (both ends busy at once, as two processes would be) unless --same-thread puts both
 * ends on one event loop. CPU time is the whole process's (all threads) while the bytes move.
 * --nodelay turns Nagle's algorithm off on both sockets (the link owner's choice in real use).
 */
const args = process.argv.slice(2);
const mebibytes = Number(args.find((arg) => !arg.startsWith('--')) ?? 256);
const runs = Number(args.find((arg) => arg.startsWith('--runs='))?.slice('--runs='.length) ?? 3);
const sameThread = args.includes('--same-thread');
const noDelay = args.includes('--nodelay');
const bytes = mebibytes * 1024 * 1024;
const block = new Uint8Array(1024 * 1024).fill(7);

interface Receiver {
  call(method: ReceiverMethod, arg?: number): Promise<number | Uint8Array | void>;
  stop(): Promise<void>;
}

interface Sample {
  readonly mibPerSecond: number;
  readonly cpuSecondsPerGB: number;
}

function receiverInThread(): Receiver {
  const receiver = new BenchReceiver();
  return { call: (method, arg = 0) => callReceiver(receiver, method, arg), stop: () => Promise.resolve() };
}

function receiverInWorker(): Receiver {
  const worker = new Worker(new URL('./bench-receiver.js', import.meta.url));
  const pending = new Map<
    number,
    { resolve: (value: number | Uint8Array | void) => void; reject: (e: Error) => void }
  >();
  let nextId = 0;
  worker.on('message', (reply: ReceiverReply) => {
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) call?.reject(new Error(reply.error));
    else call?.resolve(reply.result);
  });
  return {
    call: (method, arg = 0) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, method, arg });
      }),
    stop: () => worker.terminate().then(() => undefined),
  };
}

async function measure(work: () => Promise<void>): Promise<Sample> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    mibPerSecond: mebibytes / seconds,
    cpuSecondsPerGB: (cpu.user + cpu.system) / 1e6 / (bytes / 1e9),
  };
}

async function connectPair(receiver: Receiver): Promise<Socket> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  await receiver.call('connect', (listener.address() as AddressInfo).port * (noDelay ? -1 : 1));
  const [socket] = await accepted;
  socket.setNoDelay(noDelay);
  listener.close();
  return socket;
}

async function sendPlain(socket: Socket, receiver: Receiver): Promise<void> {
  const received = receiver.call('receivePlain', bytes);
  for (let i = 0; i < mebibytes; i++) if (!socket.write(block)) await once(socket, 'drain');
  await received;
}

async function sendSecure(mux: StreamMux, receiver: Receiver): Promise<void> {
  const received = receiver.call('receiveStream');
  const stream = mux.openStream();
  for (let i = 0; i < mebibytes; i++) await stream.write(block);
  await stream.end();
  const count = await received;
  if (count !== bytes) throw new Error(`received ${String(count)} of ${bytes} bytes`);
}

async function runOnce(receiver: Receiver): Promise<{ plain: Sample; secure: Sample }> {
  const socket = await connectPair(receiver);
  const plain = await measure(() => sendPlain(socket, receiver));
  const remoteStaticPublicKey = (await receiver.call('acceptSecure')) as Uint8Array;
  const backend = createNodeCryptoBackend();
  const channel = await initiateChannel(createDuplexLink(socket), {
    staticKeyPair: await backend.generateKeyPair(),
    remoteStaticPublicKey,
    backend,
  });
  const mux = new StreamMux(channel);
  const secure = await measure(() => sendSecure(mux, receiver));
  mux.close();
  return { plain, secure };
}

function summarize(label: string, samples: readonly Sample[]): number {
  const speeds = samples.map((s) => s.mibPerSecond).sort((x, y) => x - y);
  const cpus = samples.map((s) => s.cpuSecondsPerGB).sort((x, y) => x - y);
  const median = speeds[Math.floor(speeds.length / 2)]!;
  const spread = `${speeds[0]!.toFixed(0)}–${speeds.at(-1)!.toFixed(0)}`;
  const cpu = cpus[Math.floor(cpus.length / 2)]!;
  console.log(`${label}: median ${median.toFixed(0)} MiB/s (${spread}), ${cpu.toFixed(2)} CPU s/GB (median)`);
  return median;
}

const receiver = sameThread ? receiverInThread() : receiverInWorker();
const topology = sameThread ? 'both ends on one event loop' : 'receiver in its own worker thread';
console.log(`${mebibytes} MiB x ${runs} runs over loopback TCP, ${topology}`);
const results: { plain: Sample; secure: Sample }[] = [];
for (let run = 1; run <= runs; run++) {
  const result = await runOnce(receiver);
  results.push(result);
  console.log(
    `run ${run}: plain ${result.plain.mibPerSecond.toFixed(0)} MiB/s, ` +
      `secure mux ${result.secure.mibPerSecond.toFixed(0)} MiB/s`,
  );
}
const plainMedian = summarize(
  'plain TCP ',
  results.map((r) => r.plain),
);
const secureMedian = summarize(
  'secure mux',
  results.map((r) => r.secure),
);
console.log(`secure mux / plain TCP: ${(secureMedian / plainMedian).toFixed(2)}`);
await receiver.stop();
