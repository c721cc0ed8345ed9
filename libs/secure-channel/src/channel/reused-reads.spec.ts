import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer } from 'node:net';
import { describe, it } from 'node:test';
import type { ByteLink } from '../link/byte-link.js';
import { createMemoryLinkPair } from '../link/memory-link.js';
import { createDuplexLink } from '../node/duplex-link.adapter.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';
import { SocketReads } from '../node/socket-reads.js';
import { collectMessages, connectedChannels, randomSplit } from '../testing/channel-pair.fixture.js';
import { acceptChannel, initiateChannel } from './channel-handshake.js';

/**
 * Hands every chunk over in one buffer and scribbles over it once the handler returns, as a socket
 * reading into a reused buffer would at its next read: anything kept without copying turns to garbage.
 */
function reusingReads(link: ByteLink, declared = true): ByteLink {
  const reused = new Uint8Array(64 * 1024);
  return {
    reusesReadBuffers: declared,
    write: (bytes) => link.write(bytes),
    onData: (handler) =>
      link.onData((bytes) => {
        for (let offset = 0; offset < bytes.length; offset += reused.length) {
          const piece = bytes.subarray(offset, offset + reused.length);
          reused.set(piece);
          handler(reused.subarray(0, piece.length));
          reused.fill(0xee);
        }
      }),
    onClose: (handler) => link.onClose(handler),
    close: (error) => link.close(error),
  };
}

const digest = (messages: Uint8Array[]) => {
  const hash = createHash('sha256');
  for (const message of messages) hash.update(message);
  return hash.digest('hex');
};

async function exchange(links: [ByteLink, ByteLink]): Promise<{ sent: string; received: string }> {
  const [initiator, responder] = await connectedChannels({ links });
  // Sent before the receiver has a handler, so some frames wait in the queue.
  const sent = Array.from({ length: 300 }, (_, i) => randomBytes(1 + ((i * 7919) % 65_000)));
  for (const message of sent) void initiator.send(message);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const { messages } = collectMessages(responder);
  await initiator.send(new Uint8Array(0));
  while (messages.length < sent.length + 1) await new Promise((resolve) => setTimeout(resolve, 5));
  initiator.close();
  return { sent: digest(sent), received: digest(messages.slice(0, sent.length)) };
}

describe('links that reuse their read buffer', () => {
  it('deliver every message intact, queued ones included, at any split point', async () => {
    const [a, b] = createMemoryLinkPair({ split: randomSplit });
    const { sent, received } = await exchange([reusingReads(a), reusingReads(b)]);
    assert.equal(received, sent);
  });

  it('would corrupt messages if the channel kept views into them (the case above is a real check)', async () => {
    const [a, b] = createMemoryLinkPair({ split: randomSplit });
    const outcome = await Promise.race([
      exchange([reusingReads(a, false), reusingReads(b, false)]).then(
        ({ sent, received }) => (sent === received ? 'intact' : 'corrupted'),
        () => 'failed',
      ),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 3000)),
    ]);
    assert.notEqual(outcome, 'intact');
  });

  it('carry 8 MiB over a real socket dialled with SocketReads', async () => {
    const server = createServer();
    await once(server.listen(0, '127.0.0.1'), 'listening');
    const backend = createNodeCryptoBackend();
    const keys = await backend.generateKeyPair();
    const accepted = once(server, 'connection').then(([socket]) =>
      acceptChannel(createDuplexLink(socket as never), { staticKeyPair: keys, backend }),
    );
    const reads = new SocketReads();
    const socket = connect({ port: (server.address() as AddressInfo).port, onread: reads.onread });
    await once(socket, 'connect');
    const [initiator, responder] = await Promise.all([
      initiateChannel(createDuplexLink(socket, { reads }), {
        staticKeyPair: await backend.generateKeyPair(),
        remoteStaticPublicKey: keys.publicKey,
        backend,
      }),
      accepted,
    ]);
    const payload = randomBytes(8 * 1024 * 1024);
    const { messages } = collectMessages(initiator);
    await responder.send(payload);
    await responder.send(new Uint8Array(0));
    while (messages.reduce((sum, m) => sum + m.length, 0) < payload.length)
      await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(digest(messages), digest([payload]));
    initiator.close();
    server.close();
  });
});
