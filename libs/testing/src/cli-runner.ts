import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunResult, collect, run, stopGroup, waitForLine } from './processes.js';
import { repoRoot } from './repo-root.js';

const bin = (name: string) => join(repoRoot(), 'node_modules', '.bin', name);

/** A person at a terminal: their own config folder, the installed `hostlink` binary. */
export class CliUser {
  private constructor(readonly configDir: string) {}

  static async create(): Promise<CliUser> {
    return new CliUser(await mkdtemp(join(tmpdir(), 'hostlink-cli-')));
  }

  run(
    args: readonly string[],
    options: { input?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<RunResult> {
    return run(bin('hostlink'), args, {
      input: options.input,
      env: { ...process.env, HOSTLINK_CONFIG_DIR: this.configDir, ...options.env },
    });
  }

  /** Runs and fails the test with the command's own words when it does not succeed. */
  async ok(
    args: readonly string[],
    options: { input?: string; env?: NodeJS.ProcessEnv } = {},
  ): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(`hostlink ${args.join(' ')} exited ${result.code}\n${result.stderr}\n${result.stdout}`);
    }
    return result.stdout;
  }

  spawn(args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    return spawn(bin('hostlink'), args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HOSTLINK_CONFIG_DIR: this.configDir, ...env },
    });
  }
}

/** A host computer: its own agent config folder and the installed `hostlink-agent` binary. */
export class AgentHost {
  private constructor(readonly configDir: string) {}
  running?: ChildProcess;
  private output?: () => { stdout: string; stderr: string };

  static async create(): Promise<AgentHost> {
    return new AgentHost(await mkdtemp(join(tmpdir(), 'hostlink-agent-')));
  }

  enroll(args: readonly string[], hostPassword: string): Promise<RunResult> {
    return run(bin('hostlink-agent'), ['enroll', ...args, '--host-password-stdin'], {
      input: `${hostPassword}\n`,
      env: { ...process.env, HOSTLINK_AGENT_HOME: this.configDir },
    });
  }

  async start(extraArgs: readonly string[] = []): Promise<ChildProcess> {
    const child = spawn(bin('hostlink-agent'), ['run', ...extraArgs], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOSTLINK_AGENT_HOME: this.configDir },
    });
    this.output = collect(child);
    await waitForLine(child, /online as /, 30_000);
    this.running = child;
    return child;
  }

  logs(): { stdout: string; stderr: string } {
    return this.output?.() ?? { stdout: '', stderr: '' };
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.running) await stopGroup(this.running, signal);
    this.running = undefined;
  }
}
