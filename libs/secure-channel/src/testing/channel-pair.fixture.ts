import { createServer, connect, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { acceptChannel, initiateChannel } from '../channel/channel-handshake.js';
import type { SecureChannel } from '../channel/secure-channel.js';
import type { CryptoBackend } from '../crypto/crypto-backend.js';
import type { ByteLink } from '../link/byte-link.js';
import { createMemoryLinkPair } from '../link/memory-link.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';

export function randomSplit(bytes: Uint8Array): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const size =
      1 + Math.floor(Math.random() * Math.min(bytes.length - offset, Math.random() < 0.5 ? 7 : 9000));
    pieces.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return pieces;
}

/** Wraps a link so every write leaves in random pieces, as a boundary-blind relay would send it. */
export function chunkingLink(link: ByteLink): ByteLink {
  return {
    write: async (bytes) => {
      for (const piece of randomSplit(bytes)) await link.write(piece);
    },
    onData: (handler) => link.onData(handler),
    onClose: (handler) => link.onClose(handler),
    close: (error) => link.close(error),
  };
}

export interface PairOptions {
  readonly initiatorBackend?: CryptoBackend;
  readonly responderBackend?: CryptoBackend;
  readonly links?: [ByteLink, ByteLink];
}

export async function connectedChannels(options: PairOptions = {}): Promise<[SecureChannel, SecureChannel]> {
  const initiatorBackend = options.initiatorBackend ?? createNodeCryptoBackend();
  const responderBackend = options.responderBackend ?? createNodeCryptoBackend();
  const [a, b] = options.links ?? createMemoryLinkPair({ split: randomSplit });
  const responderKeys = await responderBackend.generateKeyPair();
  const accepted = acceptChannel(b, { staticKeyPair: responderKeys, backend: responderBackend });
  const initiated = initiateChannel(a, {
    staticKeyPair: await initiatorBackend.generateKeyPair(),
    remoteStaticPublicKey: responderKeys.publicKey,
    backend: initiatorBackend,
  });
  return Promise.all([initiated, accepted]);
}

/** A connected TCP socket pair on loopback, and a function that closes the server. */
export async function tcpSocketPair(): Promise<{ client: Socket; server: Socket; stop: () => void }> {
  const listener = createServer();
  listener.listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as AddressInfo;
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  const client = connect(port, '127.0.0.1');
  const [[server]] = await Promise.all([accepted, once(client, 'connect')]);
  return { client, server, stop: () => listener.close() };
}

/** Collects every message a channel delivers until it closes. */
export function collectMessages(channel: SecureChannel): {
  messages: Uint8Array[];
  closed: Promise<Error | undefined>;
} {
  const messages: Uint8Array[] = [];
  channel.onMessage((message) => messages.push(Uint8Array.from(message)));
  const closed = new Promise<Error | undefined>((resolve) => channel.onClose(resolve));
  return { messages, closed };
}
