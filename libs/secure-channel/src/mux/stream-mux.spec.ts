import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ByteLink } from '../link/byte-link.js';
import { createDuplexLink } from '../node/duplex-link.adapter.js';
import { SecureChannelErrorCode } from '../secure-channel.exception.js';
import { chunkingLink, connectedChannels, tcpSocketPair } from '../testing/channel-pair.fixture.js';
import { INITIAL_STREAM_WINDOW, type MuxStream } from './mux-stream.js';
import { StreamMux } from './stream-mux.js';

async function muxPair(): Promise<[StreamMux, StreamMux]> {
  const [a, b] = await connectedChannels();
  return [new StreamMux(a), new StreamMux(b)];
}

function nextStream(mux: StreamMux): Promise<MuxStream> {
  return new Promise((resolve) => mux.onStream(resolve));
}

async function readAll(stream: MuxStream): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('stream mux', () => {
  it('carries concurrent streams opened by both sides', async () => {
    const [client, host] = await muxPair();
    const echoed: MuxStream[] = [];
    const echo = (mux: StreamMux) =>
      mux.onStream((stream) => {
        echoed.push(stream);
        void (async () => {
          await stream.write(await readAll(stream));
          await stream.end();
        })();
      });
    echo(client);
    echo(host);
    const roundTrip = async (stream: MuxStream, bytes: Uint8Array) => {
      await stream.write(bytes);
      await stream.end();
      return readAll(stream);
    };
    const payloads = Array.from({ length: 20 }, (_, i) => randomBytes(1 + i * 9000));
    const results = await Promise.all(
      payloads.map((bytes, i) => roundTrip((i % 2 ? client : host).openStream(), bytes)),
    );
    results.forEach((result, i) => assert.deepEqual(result, payloads[i]));
    assert.equal(echoed.length, 20);
    assert.deepEqual(new Set(echoed.map((stream) => stream.id % 2)), new Set([0, 1]));
  });

  it('never lets a sender exceed the window of a reader that does not read', async () => {
    const [client, host] = await muxPair();
    const incoming = nextStream(host);
    const stalled = client.openStream();
    let finished = false;
    const write = stalled.write(randomBytes(INITIAL_STREAM_WINDOW * 3)).then(() => (finished = true));
    await incoming;
    // The other stream completes while the first writer stays blocked for credit.
    const other = client.openStream();
    const otherReceived = nextStream(host).then(readAll);
    await other.write(randomBytes(INITIAL_STREAM_WINDOW * 2));
    await other.end();
    assert.equal((await otherReceived).length, INITIAL_STREAM_WINDOW * 2);
    assert.equal(finished, false);
    assert.ok(client.bytesSent <= INITIAL_STREAM_WINDOW * 3, 'stalled stream sent at most one window');
    const drained = readAll(await incoming);
    await stalled.end();
    await write;
    assert.equal((await drained).length, INITIAL_STREAM_WINDOW * 3);
  });

  it('propagates a reset to the peer and fails pending reads and writes', async () => {
    const [client, host] = await muxPair();
    const incoming = nextStream(host);
    const stream = client.openStream();
    await stream.write(Uint8Array.of(1));
    const remote = await incoming;
    stream.reset('user cancelled');
    await assert.rejects(readAll(remote), {
      code: SecureChannelErrorCode.StreamReset,
      message: /user cancelled/,
    });
    await assert.rejects(remote.write(Uint8Array.of(2)), { code: SecureChannelErrorCode.StreamReset });
    await assert.rejects(stream.read(), { code: SecureChannelErrorCode.StreamReset });
    assert.equal(client.activeStreams, 0);
  });

  it('fails unfinished streams when the channel closes', async () => {
    const [client, host] = await muxPair();
    const incoming = nextStream(host);
    client.openStream();
    const remote = await incoming;
    client.close();
    await assert.rejects(remote.read(), { code: SecureChannelErrorCode.Closed });
    assert.throws(() => client.openStream(), { code: SecureChannelErrorCode.Closed });
  });

  it('moves 64 MiB intact over loopback TCP with random write chunking', async () => {
    const { client: socketA, server: socketB, stop } = await tcpSocketPair();
    const links: [ByteLink, ByteLink] = [chunkingLink(createDuplexLink(socketA)), createDuplexLink(socketB)];
    const [a, b] = await connectedChannels({ links });
    const [sender, receiver] = [new StreamMux(a), new StreamMux(b)];
    const incoming = nextStream(receiver);
    const data = randomBytes(64 * 1024 * 1024);
    const sent = (async () => {
      const stream = sender.openStream();
      for (let offset = 0; offset < data.length; offset += 3_000_017)
        await stream.write(data.subarray(offset, offset + 3_000_017));
      await stream.end();
    })();
    const hash = createHash('sha256');
    for await (const chunk of await incoming) hash.update(chunk);
    await sent;
    assert.equal(hash.digest('hex'), createHash('sha256').update(data).digest('hex'));
    assert.equal(receiver.bytesReceived, data.length);
    assert.equal(sender.bytesSent, data.length);
    sender.close();
    stop();
  });
});
