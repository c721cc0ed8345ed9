import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CryptoBackend } from '../crypto/crypto-backend.js';
import { BACKENDS } from '../testing/backends.fixture.js';
import { type NoiseVector, hex, loadNoiseVectors, toHex } from '../testing/noise-vectors.fixture.js';
import type { CipherState } from './cipher-state.js';
import type { HandshakePatternName } from './handshake-patterns.js';
import { HandshakeState } from './handshake-state.js';

const PATTERNS: readonly HandshakePatternName[] = ['IK', 'XX', 'XK', 'NN'];

function vectorsFor(pattern: HandshakePatternName): NoiseVector[] {
  return loadNoiseVectors().filter((v) => v.protocol_name === `Noise_${pattern}_25519_AESGCM_SHA256`);
}

async function side(
  backend: CryptoBackend,
  v: NoiseVector,
  pattern: HandshakePatternName,
  initiator: boolean,
) {
  const pick = (key: string | undefined) => (key ? backend.keyPairFromPrivateKey(hex(key)) : undefined);
  const remote = initiator ? v.init_remote_static : v.resp_remote_static;
  return HandshakeState.initialize(backend, {
    pattern,
    initiator,
    prologue: hex(initiator ? v.init_prologue : v.resp_prologue),
    staticKeyPair: await pick(initiator ? v.init_static : v.resp_static),
    ephemeralKeyPair: await pick(initiator ? v.init_ephemeral : v.resp_ephemeral),
    remoteStaticPublicKey: remote ? hex(remote) : undefined,
  });
}

/** Runs one vector; returns how many messages were checked. */
async function runVector(
  backend: CryptoBackend,
  v: NoiseVector,
  pattern: HandshakePatternName,
): Promise<number> {
  const initiator = await side(backend, v, pattern, true);
  const responder = await side(backend, v, pattern, false);
  let index = 0;
  for (; !initiator.isComplete(); index++) {
    const message = v.messages[index]!;
    const [writer, reader] = index % 2 === 0 ? [initiator, responder] : [responder, initiator];
    assert.equal(
      toHex(await writer.writeMessage(hex(message.payload))),
      message.ciphertext,
      `handshake msg ${index}`,
    );
    assert.equal(toHex(await reader.readMessage(hex(message.ciphertext))), message.payload);
  }
  assert.ok(responder.isComplete());
  const [i, r] = [await initiator.finish(), await responder.finish()];
  assert.equal(toHex(i.handshakeHash), v.handshake_hash);
  assert.equal(toHex(r.handshakeHash), v.handshake_hash);
  for (; index < v.messages.length; index++) {
    const message = v.messages[index]!;
    const [send, receive]: CipherState[] = index % 2 === 0 ? [i.send, r.receive] : [r.send, i.receive];
    assert.equal(
      toHex(await send!.encrypt(hex(message.payload))),
      message.ciphertext,
      `transport msg ${index}`,
    );
    assert.equal(toHex(await receive!.decrypt(hex(message.ciphertext))), message.payload);
  }
  return index;
}

for (const backend of BACKENDS) {
  describe(`Noise cacophony vectors (${backend.name} back end)`, () => {
    for (const pattern of PATTERNS) {
      it(`passes every ${pattern} vector, transport messages and handshake hash included`, async () => {
        const vectors = vectorsFor(pattern);
        assert.ok(vectors.length > 0, `no ${pattern} vectors in the file`);
        for (const v of vectors) assert.equal(await runVector(backend, v, pattern), v.messages.length);
      });
    }
  });
}

describe('Noise vectors file', () => {
  it('fails with a clear message when the shared folder is missing', () => {
    const saved = process.env['HOSTLINK_SHARED_DIR'];
    process.env['HOSTLINK_SHARED_DIR'] = '/nonexistent/hostlink-shared';
    try {
      assert.throws(() => loadNoiseVectors(), /not found at .*HOSTLINK_SHARED_DIR/s);
    } finally {
      if (saved === undefined) delete process.env['HOSTLINK_SHARED_DIR'];
      else process.env['HOSTLINK_SHARED_DIR'] = saved;
    }
  });
});
