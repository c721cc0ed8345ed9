import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ByteLink } from '../link/byte-link.js';
import { createWebCryptoBackend } from '../crypto/webcrypto.backend.js';
import { createMemoryLinkPair } from '../link/memory-link.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';
import {
  ChannelIntegrityError,
  SecureChannelError,
  SecureChannelErrorCode,
} from '../secure-channel.exception.js';
import { collectMessages, connectedChannels, randomSplit } from '../testing/channel-pair.fixture.js';
import { acceptChannel, initiateChannel } from './channel-handshake.js';
import { MAX_CHANNEL_MESSAGE } from './secure-channel.js';

const backend = createNodeCryptoBackend();

/** A link whose outgoing bytes pass through `mutate` first (a hostile relay). */
function tamperingLink(link: ByteLink, mutate: (bytes: Uint8Array) => Uint8Array): ByteLink {
  return { ...link, write: (bytes) => link.write(mutate(Uint8Array.from(bytes))) };
}

describe('secure channel', () => {
  it('delivers messages in order across random split points, splitting oversized ones', async () => {
    const [a, b] = await connectedChannels();
    const sink = collectMessages(b);
    const big = randomBytes(MAX_CHANNEL_MESSAGE * 2 + 5);
    await a.send(Uint8Array.of(1, 2, 3));
    await a.send(big);
    await a.send(new Uint8Array(0));
    a.close();
    assert.equal(await sink.closed, undefined);
    assert.equal(sink.messages.length, 5);
    assert.deepEqual(sink.messages[0], Uint8Array.of(1, 2, 3));
    assert.deepEqual(Buffer.concat(sink.messages.slice(1, 4)), big);
    assert.equal(sink.messages[4]!.length, 0);
  });

  it('lets the responder learn the initiator static key and exchange payloads', async () => {
    const [linkA, linkB] = createMemoryLinkPair({ split: randomSplit });
    const client = await backend.generateKeyPair();
    const host = await backend.generateKeyPair();
    let seen: Uint8Array | null = null;
    const accepted = acceptChannel(linkB, {
      staticKeyPair: host,
      backend,
      onPayload: (payload, remoteKey) => {
        seen = remoteKey;
        return Uint8Array.of(payload.length);
      },
    });
    const options = { staticKeyPair: client, remoteStaticPublicKey: host.publicKey, backend };
    const initiator = await initiateChannel(linkA, { ...options, payload: Uint8Array.of(7, 7) });
    const responder = await accepted;
    assert.deepEqual(seen, client.publicKey);
    assert.deepEqual(responder.remoteStaticPublicKey, client.publicKey);
    assert.deepEqual(initiator.remoteStaticPublicKey, host.publicKey);
    assert.deepEqual(responder.remotePayload, Uint8Array.of(7, 7));
    assert.deepEqual(initiator.remotePayload, Uint8Array.of(2));
    assert.equal(initiator.handshakeHash.length, 32);
  });

  it('fails the handshake on both sides when the initiator expects another static key', async () => {
    const [linkA, linkB] = createMemoryLinkPair();
    const host = await backend.generateKeyPair();
    const impostorKey = (await backend.generateKeyPair()).publicKey;
    const accepted = acceptChannel(linkB, { staticKeyPair: host, backend });
    const initiated = initiateChannel(linkA, {
      staticKeyPair: await backend.generateKeyPair(),
      remoteStaticPublicKey: impostorKey,
      backend,
    });
    await assert.rejects(accepted, { code: SecureChannelErrorCode.HandshakeFailed });
    await assert.rejects(initiated, { code: SecureChannelErrorCode.HandshakeFailed });
  });

  it('times out a handshake the peer never answers', async () => {
    const [linkA] = createMemoryLinkPair();
    const host = await backend.generateKeyPair();
    const options = {
      staticKeyPair: host,
      remoteStaticPublicKey: host.publicKey,
      backend,
      handshakeTimeoutMs: 50,
    };
    await assert.rejects(initiateChannel(linkA, options), { code: SecureChannelErrorCode.HandshakeTimeout });
  });

  it('closes with ChannelIntegrityError and delivers nothing when one byte is flipped', async () => {
    let armed = false;
    const [linkA, linkB] = createMemoryLinkPair();
    const flipping = tamperingLink(linkA, (bytes) => {
      if (armed && bytes.length > 20) bytes[2 + Math.floor(Math.random() * (bytes.length - 2))]! ^= 0x01;
      return bytes;
    });
    const [a, b] = await connectedChannels({ links: [flipping, linkB] });
    const sink = collectMessages(b);
    await a.send(Uint8Array.of(1));
    armed = true;
    await a.send(randomBytes(100));
    assert.ok((await sink.closed) instanceof ChannelIntegrityError);
    assert.deepEqual(sink.messages, [Uint8Array.of(1)]);
  });

  it('treats an empty frame as an integrity failure', async () => {
    const { b, sink, rawA } = await channelWithRawPeer();
    await rawA.write(Uint8Array.of(0, 0));
    assert.ok((await sink.closed) instanceof ChannelIntegrityError);
    assert.equal(b.closed, true);
  });

  it('treats a frame shorter than the tag as an integrity failure', async () => {
    const { sink, rawA } = await channelWithRawPeer();
    await rawA.write(Uint8Array.of(0, 3, 1, 2, 3));
    assert.ok((await sink.closed) instanceof ChannelIntegrityError);
    assert.equal(sink.messages.length, 0);
  });

  it('treats a link closed inside a frame as a lost connection, delivering nothing of that frame', async () => {
    const { sink, rawA } = await channelWithRawPeer();
    await rawA.write(Uint8Array.of(0xff, 0xff, 1, 2, 3));
    rawA.close();
    const closed = await sink.closed;
    assert.ok(closed instanceof SecureChannelError && !(closed instanceof ChannelIntegrityError));
    assert.equal(closed.code, SecureChannelErrorCode.Closed);
    assert.equal(sink.messages.length, 0);
  });

  it('delivers in order with an asynchronous back end (WebCrypto) over random splits', async () => {
    const webcrypto = createWebCryptoBackend();
    const [a, b] = await connectedChannels({ initiatorBackend: webcrypto, responderBackend: webcrypto });
    const sink = collectMessages(b);
    const messages = Array.from({ length: 30 }, (_, i) => randomBytes(i * 4000));
    await Promise.all(messages.map((message) => a.send(message)));
    await a.sendParts([Uint8Array.of(1), Uint8Array.of(2, 3)]);
    a.close();
    assert.equal(await sink.closed, undefined);
    assert.deepEqual(Buffer.concat(sink.messages), Buffer.concat([...messages, Uint8Array.of(1, 2, 3)]));
  });

  it('sends a message given in parts as one message, and refuses parts over the limit', async () => {
    const [a, b] = await connectedChannels();
    const sink = collectMessages(b);
    const parts = randomSplit(randomBytes(MAX_CHANNEL_MESSAGE));
    await a.sendParts(parts);
    await assert.rejects(a.sendParts([...parts, Uint8Array.of(1)]), RangeError);
    a.close();
    await sink.closed;
    assert.deepEqual(
      sink.messages,
      [Buffer.concat(parts)].map((m) => Uint8Array.from(m)),
    );
  });

  it('issues the next link write only after the previous one resolved', async () => {
    const [linkA, linkB] = createMemoryLinkPair();
    let outstanding = 0;
    let overlapped = false;
    const slow: ByteLink = {
      ...linkA,
      write: async (bytes) => {
        overlapped ||= outstanding > 0;
        outstanding++;
        await linkA.write(bytes);
        await new Promise((resolve) => setTimeout(resolve, 1));
        outstanding--;
      },
    };
    const [a, b] = await connectedChannels({ links: [slow, linkB] });
    const sink = collectMessages(b);
    await Promise.all(Array.from({ length: 10 }, (_, i) => a.send(Uint8Array.of(i))));
    assert.equal(overlapped, false);
    a.close();
    await sink.closed;
    assert.deepEqual(
      sink.messages,
      Array.from({ length: 10 }, (_, i) => Uint8Array.of(i)),
    );
  });

  it('rejects sends after close with a SecureChannelError', async () => {
    const [a] = await connectedChannels();
    a.close();
    await assert.rejects(a.send(Uint8Array.of(1)), SecureChannelError);
  });
});

/** A responder channel whose peer link the test drives byte by byte after the handshake. */
async function channelWithRawPeer() {
  const [linkA, linkB] = createMemoryLinkPair();
  const [, b] = await connectedChannels({ links: [linkA, linkB] });
  return { b, sink: collectMessages(b), rawA: linkA };
}
