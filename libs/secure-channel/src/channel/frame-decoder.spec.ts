import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ChannelIntegrityError } from '../secure-channel.exception.js';
import { randomSplit } from '../testing/channel-pair.fixture.js';
import { FrameDecoder, MAX_FRAME_BODY, encodeFrame, encodeFrameHeader } from './frame-decoder.js';

function decodeAll(chunks: readonly Uint8Array[]): { frames: Uint8Array[][]; decoder: FrameDecoder } {
  const decoder = new FrameDecoder();
  const frames = chunks.flatMap((chunk) => decoder.push(chunk));
  return { frames, decoder };
}

describe('frame decoder', () => {
  it('reassembles frames of every size from random splits, down to single bytes', () => {
    const bodies = [1, 2, 15, 16, 17, 1000, 65_536 - 2, MAX_FRAME_BODY, 3].map((n) => randomBytes(n));
    const stream = Buffer.concat(bodies.map(encodeFrame));
    for (const split of [randomSplit, (b: Uint8Array) => Array.from(b, (_, i) => b.subarray(i, i + 1))]) {
      const { frames, decoder } = decodeAll(split(stream));
      assert.deepEqual(
        frames.map((pieces) => Buffer.concat(pieces)),
        bodies,
      );
      assert.equal(decoder.hasPartialFrame(), false);
    }
  });

  it('returns views into the received chunks, one piece per chunk a frame touches', () => {
    const body = randomBytes(65_535);
    const frame = encodeFrame(body);
    const first = frame.subarray(0, 65_536);
    const { frames } = decodeAll([first, frame.subarray(65_536)]);
    assert.equal(frames.length, 1);
    assert.equal(frames[0]!.length, 2);
    assert.equal(frames[0]![0]!.buffer, first.buffer, 'no copy of the body');
    assert.deepEqual(Buffer.concat(frames[0]!), body);
  });

  it('reads a length prefix split across two chunks', () => {
    const frame = encodeFrame(Uint8Array.of(9, 8, 7));
    const { frames } = decodeAll([frame.subarray(0, 1), frame.subarray(1, 2), frame.subarray(2)]);
    assert.deepEqual(
      frames.map((pieces) => Buffer.concat(pieces)),
      [Buffer.of(9, 8, 7)],
    );
  });

  it('keeps a partial frame until the rest arrives', () => {
    const decoder = new FrameDecoder();
    assert.deepEqual(decoder.push(Uint8Array.of(0, 4, 1)), []);
    assert.equal(decoder.hasPartialFrame(), true);
    assert.deepEqual(
      decoder.push(Uint8Array.of(2, 3, 4, 0)).map((p) => Buffer.concat(p)),
      [Buffer.of(1, 2, 3, 4)],
    );
    assert.equal(decoder.hasPartialFrame(), true, 'one byte of the next header');
  });

  it('rejects an empty frame, and bodies the prefix cannot express', () => {
    assert.throws(() => new FrameDecoder().push(Uint8Array.of(0, 0)), ChannelIntegrityError);
    assert.throws(() => encodeFrameHeader(0), RangeError);
    assert.throws(() => encodeFrameHeader(MAX_FRAME_BODY + 1), RangeError);
  });
});
