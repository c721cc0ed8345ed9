import type { Via } from '@hostlink/client-sdk';
import type { Command } from 'commander';
import { connectToHost, hostPasswordSource } from '../remote/host-session.js';
import type { RelayHistory } from '../remote/relay-history.js';
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
  /** Opens a connection to HOST; `relays` carries what earlier connections of this command went through. */
  connect(host: string, relays?: RelayHistory): ReturnType<typeof connectToHost>;
}

export function contextFrom(program: Command, env: NodeJS.ProcessEnv): CliContext {
  const options = program.opts<GlobalOptions>();
  const store = new StateStore(resolveConfigDir(options.configDir, env));
  const sessions = new SessionManager(store);
  const connectOptions = {
    via: options.via,
    hostPassword: hostPasswordSource({ hostPasswordStdin: options.hostPasswordStdin ?? false, env }),
  };
  return {
    sessions,
    store,
    out: (line) => process.stdout.write(`${line}\n`),
    confirm: (question) => confirm(question),
    connect: (host, relays) => connectToHost(sessions, host, connectOptions, relays),
  };
}
