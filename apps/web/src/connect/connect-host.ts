import {
  HostConnection,
  bytesToBase64Url,
  pairOverWebSocket,
  type RelayWebSocket,
} from '@hostlink/client-sdk';
import { createWebCryptoBackend, type KeyPair } from '@hostlink/secure-channel';
import type { Session } from '../session/session.js';

const backend = createWebCryptoBackend();
let deviceKey: Promise<KeyPair> | null = null;

/** This tab's static X25519 key: made once per page load, never stored (the grant binds to it). */
function deviceKeyPair(): Promise<KeyPair> {
  deviceKey ??= backend.generateKeyPair();
  return deviceKey;
}

/**
 * Opens an end-to-end encrypted channel to a host from the browser: the broker's offer, then Noise IK on
 * WebCrypto over a WebSocket to the relay (browsers cannot dial the agent's TCP port), then host login.
 * The relay only ever carries ciphertext; the host password travels inside the channel.
 */
export async function connectHost(
  session: Session,
  hostId: string,
  hostPassword: string,
): Promise<HostConnection> {
  const keys = await deviceKeyPair();
  const offer = await session.api.connect(session.token, hostId, bytesToBase64Url(keys.publicKey));
  return HostConnection.open({
    offer,
    hostPassword,
    staticKeyPair: keys,
    backend,
    links: { relay: ({ url }, ticket) => pairOverWebSocket(browserSocket(url), ticket) },
    via: 'relay',
  });
}

/** The DOM's WebSocket is what RelayWebSocket describes; its listener overloads are only wider. */
const browserSocket = (url: string) => new WebSocket(url) as unknown as RelayWebSocket;
