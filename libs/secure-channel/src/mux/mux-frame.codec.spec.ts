import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { randomSplit } from '../testing/channel-pair.fixture.js';
import {
  MUX_HEADER_LEN,
  type MuxFrame,
  MuxFrameType,
  decodeMuxFramePieces,
  decodeMuxFrames,
  windowPayload,
  writeMuxHeader,
} from './mux-frame.codec.js';

function encode(frames: readonly MuxFrame[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((n, f) => n + MUX_HEADER_LEN + f.payload.length, 0));
  let offset = 0;
  for (const frame of frames) {
    writeMuxHeader(out, offset, frame);
    out.set(frame.payload, offset + MUX_HEADER_LEN);
    offset += MUX_HEADER_LEN + frame.payload.length;
  }
  return out;
}

/** Adjacent DATA frames of one stream merged, so split and unsplit decodings compare equal. */
function normalize(frames: readonly MuxFrame[]): { type: number; streamId: number; payload: Buffer }[] {
  const out: { type: number; streamId: number; payload: Buffer }[] = [];
  for (const { type, streamId, payload } of frames) {
    const last = out.at(-1);
    if (type === MuxFrameType.Data && last?.type === type && last.streamId === streamId)
      last.payload = Buffer.concat([last.payload, payload]);
    else out.push({ type, streamId, payload: Buffer.from(payload) });
  }
  return out;
}

describe('mux frame codec, messages in pieces', () => {
  const frames: MuxFrame[] = [
    { type: MuxFrameType.Open, streamId: 3, payload: new Uint8Array(0) },
    { type: MuxFrameType.Data, streamId: 3, payload: randomBytes(40_000) },
    { type: MuxFrameType.Window, streamId: 2, payload: windowPayload(262_144) },
    { type: MuxFrameType.Data, streamId: 5, payload: randomBytes(9) },
    { type: MuxFrameType.Reset, streamId: 7, payload: new TextEncoder().encode('cancelled by user') },
    { type: MuxFrameType.Fin, streamId: 3, payload: new Uint8Array(0) },
  ];

  it('decodes any split like the joined message, DATA straddling pieces arriving as consecutive pieces', () => {
    const message = encode(frames);
    const expected = normalize(decodeMuxFrames(message));
    for (let i = 0; i < 50; i++)
      assert.deepEqual(normalize(decodeMuxFramePieces(randomSplit(message))), expected);
  });

  it('rejects truncated frames in pieces', () => {
    const message = encode(frames);
    assert.throws(() => decodeMuxFramePieces([message.subarray(0, 3), message.subarray(3, 10)]), /truncated/);
    const cut = message.subarray(0, message.length - 1);
    assert.throws(() => decodeMuxFramePieces([cut.subarray(0, 100), cut.subarray(100)]), /truncated/);
  });
});
