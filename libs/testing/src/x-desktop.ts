import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.js';
import { once } from 'node:events';
import { collect, stopGroup, waitForLine, type RunResult } from './processes.js';

const PEERS = ['/usr/bin/Xvfb', '/usr/bin/x11vnc', '/usr/bin/xsetroot', '/usr/bin/xwininfo', '/usr/bin/xev'];

export interface XDesktop {
  /** `:N`, for DISPLAY. */
  readonly display: string;
  /** x11vnc's RFB port on 127.0.0.1. */
  readonly vncPort: number;
  /** Runs an X client on this display to completion (xsetroot, xwininfo). */
  x(command: string, args: readonly string[]): Promise<RunResult>;
  /** Starts a long-running X client on this display (xev); stopped with the desktop. */
  spawnClient(command: string, args: readonly string[]): ChildProcess;
  stop(): Promise<void>;
}

/**
 * A real X server (Xvfb) with a real VNC server on it (x11vnc, no password, loopback only): the host
 * side of the screen tests. Fails at once, naming the Debian packages, when they are missing.
 */
export async function startXDesktop(size = '1024x768'): Promise<XDesktop> {
  const missing = PEERS.filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new Error(
      `missing ${missing.join(', ')}: apt-get install -y --no-install-recommends xvfb x11vnc x11-utils x11-xserver-utils (.ci/run does it)`,
    );
  const children: ChildProcess[] = [];
  const xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', `${size}x24`, '-nolisten', 'tcp'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(xvfb);
  const display = `:${(await waitForLine(xvfb, /^(\d+)$/m, 10_000))[1]!}`;
  const vncPort = await freePort();
  const vnc = spawn(
    'x11vnc',
    [
      '-display',
      display,
      '-rfbport',
      String(vncPort),
      '-localhost',
      '-nopw',
      '-forever',
      '-shared',
      '-noxdamage',
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(vnc);
  await waitForLine(vnc, new RegExp(`PORT=${vncPort}`), 15_000);
  const env = { ...process.env, DISPLAY: display };
  return {
    display,
    vncPort,
    x: (command, args) => runXClient(command, args, env),
    spawnClient: (command, args) => {
      const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
      children.push(child);
      return child;
    },
    stop: async () => {
      for (const child of children.reverse()) await stopGroup(child);
    },
  };
}

/**
 * An X client run to completion with no stdin at all: xsetroot exits at once, and writing an empty stdin to
 * a process already gone would fail with EPIPE.
 */
async function runXClient(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<RunResult> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, ...output() };
}
