import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SecureChannelErrorCode } from '../secure-channel.exception.js';
import { connectedChannels } from '../testing/channel-pair.fixture.js';
import type { MuxStream } from './mux-stream.js';
import { readHeader, writeHeader } from './stream-header.js';
import { StreamMux } from './stream-mux.js';

async function streamPair(): Promise<[MuxStream, MuxStream]> {
  const [a, b] = await connectedChannels();
  const [client, host] = [new StreamMux(a), new StreamMux(b)];
  const incoming = new Promise<MuxStream>((resolve) => host.onStream(resolve));
  const local = client.openStream();
  await local.write(new Uint8Array(0));
  return [local, await incoming];
}

function lengthPrefix(length: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, length);
  return bytes;
}

describe('stream headers', () => {
  it('reads the header and leaves the body bytes on the stream', async () => {
    const [local, remote] = await streamPair();
    await writeHeader(local, { op: 'files.read', path: '/a' });
    await local.write(new TextEncoder().encode('body bytes'));
    await local.end();
    assert.deepEqual(await readHeader(remote), { op: 'files.read', path: '/a' });
    const rest: Uint8Array[] = [];
    for await (const chunk of remote) rest.push(chunk);
    assert.equal(Buffer.concat(rest).toString(), 'body bytes');
  });

  it('refuses a declared length above the cap without reading it', async () => {
    const [local, remote] = await streamPair();
    await local.write(lengthPrefix(0xffff_fff0));
    await assert.rejects(readHeader(remote), { code: SecureChannelErrorCode.HeaderTooLarge });
  });

  it('refuses invalid JSON', async () => {
    const [local, remote] = await streamPair();
    await local.write(lengthPrefix(5));
    await local.write(new TextEncoder().encode('{nope'));
    await assert.rejects(readHeader(remote), { code: SecureChannelErrorCode.HeaderInvalid });
  });

  it('refuses a stream that ends inside the header', async () => {
    const [local, remote] = await streamPair();
    await local.write(lengthPrefix(100));
    await local.end();
    await assert.rejects(readHeader(remote), { code: SecureChannelErrorCode.HeaderInvalid });
  });
});
