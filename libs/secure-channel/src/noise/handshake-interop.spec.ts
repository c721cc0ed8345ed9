import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWebCryptoBackend } from '../crypto/webcrypto.backend.js';
import { createNodeCryptoBackend } from '../node/node-crypto.backend.js';
import { connectedChannels } from '../testing/channel-pair.fixture.js';

const node = createNodeCryptoBackend();
const web = createWebCryptoBackend();

describe('back-end interop over an in-memory pipe', () => {
  for (const [initiatorBackend, responderBackend] of [
    [node, web],
    [web, node],
  ] as const) {
    it(`${initiatorBackend.name} initiator talks to ${responderBackend.name} responder`, async () => {
      const [initiator, responder] = await connectedChannels({ initiatorBackend, responderBackend });
      assert.deepEqual(initiator.handshakeHash, responder.handshakeHash);
      const received: string[] = [];
      const done = new Promise<void>((resolve) =>
        responder.onMessage((message) => {
          received.push(new TextDecoder().decode(message));
          if (received.length === 3) resolve();
        }),
      );
      for (const text of ['one', 'two', 'three']) await initiator.send(new TextEncoder().encode(text));
      await done;
      assert.deepEqual(received, ['one', 'two', 'three']);
      const reply = new Promise<Uint8Array>((resolve) => initiator.onMessage(resolve));
      await responder.send(Uint8Array.of(42));
      assert.deepEqual(await reply, Uint8Array.of(42));
      initiator.close();
    });
  }

  it('derives the same key pair from a private key on both back ends', async () => {
    const generated = await node.generateKeyPair();
    const viaWeb = await web.keyPairFromPrivateKey(generated.privateKey);
    assert.deepEqual(viaWeb.publicKey, generated.publicKey);
    const other = await web.generateKeyPair();
    assert.deepEqual(
      await node.dh(generated.privateKey, other.publicKey),
      await web.dh(other.privateKey, generated.publicKey),
    );
  });
});
