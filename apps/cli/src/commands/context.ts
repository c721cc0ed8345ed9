import type { Via } from '@hostlink/client-sdk';
import type { Command } from 'commander';
import { connectToHost } from '../remote/host-session.js';
import { confirm } from './confirm.js';
import { resolveConfigDir, StateStore } from '../state/cli-state.js';
import { SessionManager } from '../state/session-manager.js';

export interface GlobalOptions {
  configDir?: string;
  via: Via;
  hostPasswordStdin?: boolean;
}

/** What every command needs, built from the global options once they are parsed. */
export interface CliContext {
  readonly sessions: SessionManager;
  readonly store: StateStore;
  readonly out: (line: string) => void;
  /** A yes/no question on the terminal; refuses when there is none. */
  confirm(question: string): Promise<boolean>;
  connect(host: string): ReturnType<typeof connectToHost>;
}

export function contextFrom(program: Command, env: NodeJS.ProcessEnv): CliContext {
  const options = program.opts<GlobalOptions>();
  const store = new StateStore(resolveConfigDir(options.configDir, env));
  const sessions = new SessionManager(store);
  return {
    sessions,
    store,
    out: (line) => process.stdout.write(`${line}\n`),
    confirm: (question) => confirm(question),
    connect: (host) =>
      connectToHost(sessions, host, {
        via: options.via,
        hostPasswordStdin: options.hostPasswordStdin ?? false,
        env,
      }),
  };
}
