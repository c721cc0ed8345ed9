import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createMemoryLinkPair,
  createWebCryptoBackend,
  initiateChannel,
  acceptChannel,
  StreamMux,
  type MuxStream,
} from '@hostlink/secure-channel';
import { RfbChannel } from './rfb-channel.js';

/** Two muxes over a real Noise channel in memory; the screen's stream on each side. */
async function streams(): Promise<{ viewer: MuxStream; host: Promise<MuxStream> }> {
  const backend = createWebCryptoBackend();
  const [a, b] = createMemoryLinkPair();
  const hostKey = await backend.generateKeyPair();
  const [client, server] = await Promise.all([
    initiateChannel(a, {
      staticKeyPair: await backend.generateKeyPair(),
      backend,
      remoteStaticPublicKey: hostKey.publicKey,
    }),
    acceptChannel(b, { staticKeyPair: hostKey, backend }),
  ]);
  const serverMux = new StreamMux(server);
  const host = new Promise<MuxStream>((resolve) => serverMux.onStream(resolve));
  return { viewer: new StreamMux(client).openStream(), host };
}

test('noVNC sees a WebSocket-like channel: open, binary messages both ways, close', async () => {
  const { viewer, host } = await streams();
  const channel = new RfbChannel(viewer);
  const received: number[] = [];
  const opened = new Promise<void>((resolve) => (channel.onopen = resolve));
  const gotMessage = new Promise<void>(
    (resolve) =>
      (channel.onmessage = (event) => {
        received.push(...new Uint8Array(event.data));
        resolve();
      }),
  );
  await opened;
  assert.equal(channel.readyState, 'open');
  const buffer = new Uint8Array([1, 2, 3]);
  channel.send(buffer);
  buffer.fill(9); // noVNC reuses its buffer: the bytes sent must be the ones at send time
  const hostStream = await host;
  assert.deepEqual([...((await hostStream.read()) ?? [])], [1, 2, 3]);
  await hostStream.write(new Uint8Array([4, 5]));
  await gotMessage;
  assert.deepEqual(received, [4, 5]);
  const closed = new Promise<boolean>((resolve) => (channel.onclose = (event) => resolve(event.wasClean)));
  await hostStream.end();
  assert.equal(await closed, true);
  assert.equal(channel.readyState, 'closed');
});
