import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { createDuplexLink } from './duplex-link.adapter.js';

/** A Duplex that records each batch of bytes it is handed and completes writes only when told. */
function recordingDuplex(options: { hold?: boolean } = {}) {
  const batches: Buffer[][] = [];
  const held: (() => void)[] = [];
  let holding = options.hold ?? false;
  const finish = (callback: () => void) => (holding ? held.push(callback) : callback());
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _encoding, callback) {
      batches.push([chunk]);
      finish(callback);
    },
    writev(chunks, callback) {
      batches.push(chunks.map(({ chunk }) => chunk as Buffer));
      finish(callback);
    },
  });
  const release = () => {
    holding = false;
    held.splice(0).forEach((callback) => callback());
  };
  return { stream, batches, release };
}

describe('duplex link', () => {
  it('hands writes made in one tick to the stream as one writev, in order', async () => {
    const { stream, batches } = recordingDuplex();
    const link = createDuplexLink(stream);
    const writes = [link.write(Uint8Array.of(1)), link.writev!([Uint8Array.of(2), Uint8Array.of(3, 4)])];
    writes.push(link.write(Uint8Array.of(5)));
    await Promise.all(writes);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(batches.length, 1);
    assert.deepEqual(Buffer.concat(batches[0]!), Buffer.of(1, 2, 3, 4, 5));
  });

  it('resolves at once below its buffer size and waits for drain above it', async () => {
    const { stream, release } = recordingDuplex({ hold: true });
    const link = createDuplexLink(stream, { writeBufferBytes: 64 * 1024 });
    await link.write(new Uint8Array(32 * 1024));
    let drained = false;
    const waiting = link.write(new Uint8Array(64 * 1024)).then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(drained, false);
    release();
    await waiting;
  });

  it('rejects writes once the stream is gone', async () => {
    const { stream } = recordingDuplex();
    const link = createDuplexLink(stream);
    stream.destroy();
    await assert.rejects(link.write(Uint8Array.of(1)), /link closed/);
  });
});

describe('duplex link taking over a paused stream', () => {
  it('delivers bytes unshifted by the previous owner, then the rest', async () => {
    const { stream } = recordingDuplex();
    stream.push(Buffer.from('later'));
    stream.pause();
    stream.unshift(Buffer.from('first-'));
    const link = createDuplexLink(stream);
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      link.onData((bytes) => {
        received.push(Buffer.from(bytes).toString());
        if (received.join('') === 'first-later') resolve();
      });
    });
    assert.equal(received.join(''), 'first-later');
  });
});
