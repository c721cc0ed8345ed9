import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Restarts of this machine's own Redis and NATS, with the commands that start them on this machine kind
 * (see the machine notes, "Known to work"). Only for tests that run while nothing else does
 * (`*.exclusive.e2e.spec.ts`, the last phase of scripts/run-tests.mjs): every suite shares these servers.
 */
export async function restartRedis(
  url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
): Promise<void> {
  const port = portOf(url, 6379);
  await exec('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'shutdown', 'nosave']).catch(
    () => undefined,
  );
  await untilListening(port, false);
  await exec('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '-::1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    '/var/lib/redis',
    '--logfile',
    '/var/log/redis/ci.log',
  ]);
  await untilListening(port, true);
}

export async function restartNats(url = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222'): Promise<void> {
  const port = portOf(url, 4222);
  // The server listening on that port, and only it (others may run their own NATS on other ports).
  const { stdout } = await exec('ss', ['-Htlnp', `sport = :${port}`]);
  const pid = Number(/nats-server",pid=(\d+)/.exec(stdout)?.[1]);
  if (!pid) throw new Error(`no nats-server listening on port ${port}:\n${stdout}`);
  process.kill(pid, 'SIGTERM');
  // Gone for good, not just closed its port: start-stop-daemon would take an exiting server for a running one.
  await untilGone(pid);
  await exec('start-stop-daemon', natsStart(port));
  await untilListening(port, true);
}

/**
 * The machine's own start command for its NATS on 4222. Another port (a private server to develop this
 * test against) gets its own store, log and pid file, since start-stop-daemon would otherwise take the
 * machine's running server for it and start nothing.
 */
function natsStart(port: number): string[] {
  const own = port === 4222 ? [] : ['--pidfile', `/tmp/hostlink-nats-${port}.pid`, '--make-pidfile'];
  const store = port === 4222 ? '/var/lib/nats-server' : `/tmp/hostlink-nats-${port}`;
  const log = port === 4222 ? '/var/log/nats-server.log' : `/tmp/hostlink-nats-${port}.log`;
  return [
    '--start',
    '--oknodo',
    '--background',
    ...own,
    '--exec',
    '/usr/sbin/nats-server',
    '--',
    '-a',
    '127.0.0.1',
    '-p',
    String(port),
    '-js',
    '-sd',
    store,
    '-l',
    log,
  ];
}

function portOf(url: string, fallback: number): number {
  return Number(new URL(url).port || fallback);
}

async function untilListening(port: number, listening: boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await accepts(port)) !== listening) {
    if (Date.now() > deadline) throw new Error(`port ${port} still ${listening ? 'closed' : 'open'}`);
    await sleep(50);
  }
}

async function untilGone(pid: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} did not exit`);
    await sleep(20);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
