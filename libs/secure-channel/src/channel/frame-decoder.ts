import { ChannelIntegrityError } from '../secure-channel.exception.js';

/** Every frame on the byte link: 2-byte big-endian length, then that many bytes of Noise message. */
export const FRAME_HEADER_LEN = 2;
export const MAX_FRAME_BODY = 0xffff;

export function encodeFrame(body: Uint8Array): Uint8Array {
  if (body.length === 0 || body.length > MAX_FRAME_BODY)
    throw new RangeError(`frame body of ${body.length} bytes`);
  const frame = new Uint8Array(FRAME_HEADER_LEN + body.length);
  frame[0] = body.length >>> 8;
  frame[1] = body.length & 0xff;
  frame.set(body, FRAME_HEADER_LEN);
  return frame;
}

/**
 * Reassembles frames from arbitrarily split chunks. Chunks are kept in a list and joined once per
 * frame, so tiny chunks do not cause quadratic copying.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  hasPartialFrame(): boolean {
    return this.buffered > 0;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[] = [];
    while (this.buffered >= FRAME_HEADER_LEN) {
      const header = this.peek(FRAME_HEADER_LEN);
      const length = (header[0]! << 8) | header[1]!;
      if (length === 0) throw new ChannelIntegrityError('empty frame');
      if (this.buffered < FRAME_HEADER_LEN + length) break;
      this.take(FRAME_HEADER_LEN);
      frames.push(this.take(length));
    }
    return frames;
  }

  private peek(length: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= length) return first.subarray(0, length);
    const out = this.take(length);
    this.chunks.unshift(out);
    this.buffered += length;
    return out;
  }

  /** Removes `length` bytes; a view when they sit in one chunk, a copy otherwise. */
  private take(length: number): Uint8Array {
    this.buffered -= length;
    const first = this.chunks[0]!;
    if (first.length >= length) {
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
      return first.subarray(0, length);
    }
    const out = new Uint8Array(length);
    for (let filled = 0; filled < length;) {
      const chunk = this.chunks[0]!;
      const n = Math.min(chunk.length, length - filled);
      out.set(chunk.subarray(0, n), filled);
      filled += n;
      if (n === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(n);
    }
    return out;
  }
}
