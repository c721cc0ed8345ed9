import { concatBytes } from '../crypto/crypto-backend.js';
import { ChannelIntegrityError } from '../secure-channel.exception.js';

/** Every frame on the byte link: 2-byte big-endian length, then that many bytes of Noise message. */
export const FRAME_HEADER_LEN = 2;
export const MAX_FRAME_BODY = 0xffff;

export function encodeFrame(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_LEN + body.length);
  frame.set(encodeFrameHeader(body.length));
  frame.set(body, FRAME_HEADER_LEN);
  return frame;
}

/** The 2-byte length prefix alone, for writing a frame as several pieces. */
export function encodeFrameHeader(bodyLength: number): Uint8Array {
  if (bodyLength === 0 || bodyLength > MAX_FRAME_BODY)
    throw new RangeError(`frame body of ${bodyLength} bytes`);
  return Uint8Array.of(bodyLength >>> 8, bodyLength & 0xff);
}

/**
 * Reassembles frames from arbitrarily split chunks. Chunks are kept in a list and frames are returned
 * as lists of views into them (a frame that straddles two reads is two pieces), so no frame body is
 * ever copied; only a length prefix split across chunks is.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private buffered = 0;

  hasPartialFrame(): boolean {
    return this.buffered > 0;
  }

  /**
   * Copies what is held of an incomplete frame out of the chunks it came in, for a link that reuses its
   * read buffer: call it after the frames `push` returned have been used.
   */
  detach(): void {
    if (this.chunks.length === 0) return;
    this.chunks = [concatBytes(this.chunks)];
  }

  /** Each returned frame is the concatenation of its pieces, as views into the chunks pushed. */
  push(chunk: Uint8Array): Uint8Array[][] {
    if (chunk.length > 0) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames: Uint8Array[][] = [];
    while (this.buffered >= FRAME_HEADER_LEN) {
      const length = this.peekLength();
      if (length === 0) throw new ChannelIntegrityError('empty frame');
      if (this.buffered < FRAME_HEADER_LEN + length) break;
      this.take(FRAME_HEADER_LEN);
      frames.push(this.take(length));
    }
    return frames;
  }

  private peekLength(): number {
    const first = this.chunks[0]!;
    if (first.length >= FRAME_HEADER_LEN) return (first[0]! << 8) | first[1]!;
    return (first[0]! << 8) | this.chunks[1]![0]!;
  }

  /** Removes `length` bytes and returns them as views, one per chunk they touch. */
  private take(length: number): Uint8Array[] {
    this.buffered -= length;
    const pieces: Uint8Array[] = [];
    for (let needed = length; needed > 0;) {
      const chunk = this.chunks[0]!;
      if (chunk.length > needed) {
        pieces.push(chunk.subarray(0, needed));
        this.chunks[0] = chunk.subarray(needed);
        break;
      }
      pieces.push(chunk);
      this.chunks.shift();
      needed -= chunk.length;
    }
    return pieces;
  }
}
