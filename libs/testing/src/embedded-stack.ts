import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { collect, stopGroup, waitForLine } from './processes.js';
import { repoRoot } from './repo-root.js';

const ReadyLine = z.object({ gateway: z.string(), poll: z.string(), relay: z.string() });
export type StackUrls = z.infer<typeof ReadyLine>;

export interface EmbeddedStack {
  urls: StackUrls;
  dataDir: string;
  admin: { email: string; password: string };
  process: ChildProcess;
  output: () => { stdout: string; stderr: string };
  stop: () => Promise<void>;
}

/**
 * Starts the platform exactly as a newcomer does, with `npm start`, on free ports and a fresh data folder,
 * and waits for its machine-readable ready line.
 */
export async function startEmbeddedStack(env: NodeJS.ProcessEnv = {}): Promise<EmbeddedStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'hostlink-data-'));
  const admin = { email: 'admin@example.test', password: 'correct horse battery staple' };
  const child = spawn('npm', ['start', '--silent'], {
    cwd: repoRoot(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOSTLINK_DATA_DIR: dataDir,
      HOSTLINK_GATEWAY_PORT: '0',
      HOSTLINK_POLL_PORT: '0',
      HOSTLINK_RELAY_PORT: '0',
      HOSTLINK_ADMIN_EMAIL: admin.email,
      HOSTLINK_ADMIN_PASSWORD: admin.password,
      ...env,
    },
  });
  const output = collect(child);
  const match = await waitForLine(child, /^HOSTLINK_READY (.+)$/m, 120_000);
  const urls = ReadyLine.parse(JSON.parse(match[1]!));
  return { urls, dataDir, admin, process: child, output, stop: () => stopGroup(child) };
}
