import { HostConnection, base64UrlToBytes, type Via } from '@hostlink/client-sdk';
import {
  createNodeCryptoBackend,
  createNodeLinkFactory,
  promptSecret,
  readStdinText,
} from '@hostlink/client-sdk/node';
import { ErrorCode, HostlinkError, type HostView } from '@hostlink/protocol';
import type { SessionManager } from '../state/session-manager.js';
import type { RelayHistory } from './relay-history.js';
import { findHost } from './remote-path.js';

export interface ConnectOptions {
  readonly via: Via;
  /** Asked once per host and command, however many times the command reconnects. */
  readonly hostPassword: (host: HostView) => Promise<string>;
}

/**
 * Signs in (refreshing), finds the host, asks the broker for an offer (avoiding relays this command lost a
 * connection through) and opens the encrypted connection.
 */
export async function connectToHost(
  sessions: SessionManager,
  wanted: string,
  options: ConnectOptions,
  relays?: RelayHistory,
): Promise<HostConnection> {
  const { api, token, state } = await sessions.session();
  const host = findHost((await api.listHosts(token)).hosts, wanted);
  if (!host.online) throw offline(host);
  const offer = await api.connect(token, host.id, state.deviceKey.publicKey, relays?.avoid);
  relays?.offered(offer.relay?.id);
  const hostPassword = await options.hostPassword(host);
  return HostConnection.open({
    offer,
    hostPassword,
    via: options.via,
    links: createNodeLinkFactory(),
    backend: createNodeCryptoBackend(),
    staticKeyPair: {
      publicKey: base64UrlToBytes(state.deviceKey.publicKey),
      privateKey: base64UrlToBytes(state.deviceKey.privateKey),
    },
  });
}

/** The host password source of one command: read or prompted once per host, kept in memory only. */
export function hostPasswordSource(options: {
  readonly hostPasswordStdin: boolean;
  readonly env: NodeJS.ProcessEnv;
}): (host: HostView) => Promise<string> {
  const known = new Map<string, Promise<string>>();
  return (host) => {
    let password = known.get(host.id);
    if (!password) {
      password = hostPasswordFrom(options, host);
      known.set(host.id, password);
    }
    return password;
  };
}

/** `--host-password-stdin`, else HOSTLINK_HOST_PASSWORD, else a prompt on the terminal. Never stored. */
async function hostPasswordFrom(
  options: { readonly hostPasswordStdin: boolean; readonly env: NodeJS.ProcessEnv },
  host: HostView,
): Promise<string> {
  if (options.hostPasswordStdin) return readStdinText();
  const fromEnv = options.env.HOSTLINK_HOST_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new HostlinkError(
      ErrorCode.BadRequest,
      'the host password is needed: use --host-password-stdin or set HOSTLINK_HOST_PASSWORD',
    );
  }
  const typed = await promptSecret(`Host password for ${host.name}: `);
  // An empty answer is a slip of the Enter key, not an attempt worth spending against the host's lockout.
  if (typed === '') throw new HostlinkError(ErrorCode.BadRequest, 'no host password given: nothing was sent');
  return typed;
}

function offline(host: HostView): HostlinkError {
  return new HostlinkError(
    ErrorCode.HostOffline,
    `host ${host.name} is offline: start \`hostlink-agent run\` on it`,
  );
}
