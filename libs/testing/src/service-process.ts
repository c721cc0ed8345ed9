import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stopGroup } from './processes.js';
import { repoRoot } from './repo-root.js';

const TAIL_CHARS = 64 * 1024;

/**
 * One service as an OS process, `node apps/<app>/dist/main.js` configured by environment only, in its own
 * process group; it can be killed with any signal and started again with the same environment (and so
 * the same ports and instance id). Ready means its ops endpoint `/health/ready` answers 200.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private tail = '';

  constructor(
    readonly name: string,
    private readonly app: string,
    private readonly env: Readonly<Record<string, string>>,
    private readonly opsPort: number,
  ) {}

  /** The running process's id, for CPU and memory readings. */
  get pid(): number {
    if (!this.child?.pid || !this.running) throw new Error(`${this.name} is not running`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once it is ready; rejects with its output if it exits first. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.running) throw new Error(`${this.name} is already running`);
    const child = spawn(process.execPath, [join(repoRoot(), 'apps', this.app, 'dist', 'main.js')], {
      cwd: repoRoot(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'], ...this.env },
    });
    this.child = child;
    this.note(`--- started (pid ${child.pid})\n`);
    const keep = (chunk: Buffer) => this.note(chunk.toString('utf8'));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => this.note(`--- exited (code ${code}, signal ${signal})\n`));
    try {
      await this.ready(timeoutMs);
    } catch (error) {
      await stopGroup(child, 'SIGKILL');
      throw new Error(`${this.name} did not become ready: ${(error as Error).message}\n${this.tail}`);
    }
  }

  /** Sends `signal` to the whole group and waits until the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    process.kill(-child.pid!, signal);
    await exited;
  }

  /** SIGTERM (a clean stop), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    if (this.child && this.running) await stopGroup(this.child);
  }

  async restart(timeoutMs?: number): Promise<void> {
    await this.stop();
    await this.start(timeoutMs);
  }

  /** Whether its ops endpoint says it can serve now (its dependencies answer). */
  async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.opsPort}/health/ready`, {
        signal: AbortSignal.timeout(2_000),
      });
      return response.status === 200;
    } catch {
      return false;
    }
  }

  /** The last part of what the process printed, across restarts, for a failing test's message. */
  output(): string {
    return this.tail;
  }

  private async ready(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isReady())) {
      if (!this.running) throw new Error('it exited');
      if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  private note(text: string): void {
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
  }
}
