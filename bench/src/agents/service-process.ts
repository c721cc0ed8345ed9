import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@hostlink/testing';

/** A service started as its own OS process (`node <entry>`), its output in a log file. */
export class ServiceProcess {
  private constructor(
    readonly name: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {}

  /** Starts `node [nodeArgs] <entry> [args]` with exactly `env` and waits for `ready` in its output. */
  static async start(
    name: string,
    entry: string,
    env: Record<string, string>,
    options: { logDir: string; ready: RegExp; timeoutMs?: number; nodeArgs?: string[]; args?: string[] },
  ): Promise<ServiceProcess> {
    const logFile = join(options.logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    const argv = [...(options.nodeArgs ?? []), join(repoRoot(), entry), ...(options.args ?? [])];
    const child = spawn(process.execPath, argv, {
      env,
      stdio: ['ignore', log, log],
      cwd: repoRoot(),
    });
    closeSync(log);
    const service = new ServiceProcess(name, logFile, child);
    await service.waitForLog(options.ready, options.timeoutMs ?? 20_000);
    return service;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  async waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.log());
      if (match) return match;
      if (!this.running) {
        const last = this.log().trim().split('\n').pop() ?? '';
        throw new Error(`${this.name} exited before ${pattern} (${last}); see ${this.logFile}`);
      }
      if (Date.now() > deadline)
        throw new Error(`${this.name}: no ${pattern} in ${timeoutMs} ms; see ${this.logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves once the process ended by itself (a process with a job to finish, like the presence writer). */
  async exited(): Promise<void> {
    if (this.running) await once(this.child, 'exit');
  }

  /** SIGSTOP: the process stops dead, its sockets stay open and answer nothing (a frozen machine). */
  freeze(): void {
    if (this.running) this.child.kill('SIGSTOP');
  }

  /** `kill -9`: no shutdown hook runs, its sockets are closed by the kernel. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** A clean stop (SIGTERM), forced after 10 s. */
  async stop(): Promise<void> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.signal('SIGTERM');
    clearTimeout(timer);
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.running) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}
