import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';

/**
 * Mux frame: type (1 byte), stream id (4 bytes BE), payload length (2 bytes BE), payload.
 * One channel message carries one or more whole frames.
 */
export enum MuxFrameType {
  Open = 1,
  Data = 2,
  /** Payload: 4-byte BE credit increment. */
  Window = 3,
  Fin = 4,
  /** Payload: UTF-8 reason. */
  Reset = 5,
}

export const MUX_HEADER_LEN = 7;

export interface MuxFrame {
  readonly type: MuxFrameType;
  readonly streamId: number;
  readonly payload: Uint8Array;
}

export function writeMuxHeader(out: Uint8Array, offset: number, frame: MuxFrame): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, MUX_HEADER_LEN);
  view.setUint8(0, frame.type);
  view.setUint32(1, frame.streamId);
  view.setUint16(5, frame.payload.length);
}

export function decodeMuxFrames(message: Uint8Array): MuxFrame[] {
  const frames: MuxFrame[] = [];
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  let offset = 0;
  while (offset < message.length) {
    if (offset + MUX_HEADER_LEN > message.length) throw protocolError('truncated mux frame header');
    const type = view.getUint8(offset);
    const length = view.getUint16(offset + 5);
    const end = offset + MUX_HEADER_LEN + length;
    if (end > message.length) throw protocolError('truncated mux frame payload');
    if (!(type in MuxFrameType)) throw protocolError(`unknown mux frame type ${type}`);
    frames.push({
      type,
      streamId: view.getUint32(offset + 1),
      payload: message.subarray(offset + MUX_HEADER_LEN, end),
    });
    offset = end;
  }
  return frames;
}

/**
 * Decodes a message that arrived in pieces without joining them. A DATA payload that straddles two
 * pieces comes out as two DATA frames for the same stream (the same bytes, in order); headers and
 * control payloads that straddle are copied together.
 */
export function decodeMuxFramePieces(pieces: readonly Uint8Array[]): MuxFrame[] {
  if (pieces.length === 1) return decodeMuxFrames(pieces[0]!);
  const reader = new PieceReader(pieces);
  const frames: MuxFrame[] = [];
  while (reader.remaining > 0) {
    if (reader.remaining < MUX_HEADER_LEN) throw protocolError('truncated mux frame header');
    const header = joined(reader.take(MUX_HEADER_LEN));
    const view = new DataView(header.buffer, header.byteOffset, MUX_HEADER_LEN);
    const type: MuxFrameType = view.getUint8(0);
    const streamId = view.getUint32(1);
    const length = view.getUint16(5);
    if (length > reader.remaining) throw protocolError('truncated mux frame payload');
    if (!(type in MuxFrameType)) throw protocolError(`unknown mux frame type ${type}`);
    const payload = reader.take(length);
    if (type === MuxFrameType.Data && payload.length > 1)
      for (const piece of payload) frames.push({ type, streamId, payload: piece });
    else frames.push({ type, streamId, payload: joined(payload) });
  }
  return frames;
}

class PieceReader {
  private index = 0;
  private offset = 0;
  remaining: number;

  constructor(private readonly pieces: readonly Uint8Array[]) {
    this.remaining = pieces.reduce((sum, piece) => sum + piece.length, 0);
  }

  /** The next `length` bytes as views, one per piece they touch (none when `length` is 0). */
  take(length: number): Uint8Array[] {
    this.remaining -= length;
    const out: Uint8Array[] = [];
    while (length > 0) {
      const piece = this.pieces[this.index]!;
      const n = Math.min(length, piece.length - this.offset);
      out.push(piece.subarray(this.offset, this.offset + n));
      length -= n;
      this.offset += n;
      if (this.offset === piece.length) {
        this.index++;
        this.offset = 0;
      }
    }
    return out;
  }
}

function joined(pieces: Uint8Array[]): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.length, 0));
  let offset = 0;
  for (const piece of pieces) {
    out.set(piece, offset);
    offset += piece.length;
  }
  return out;
}

export function windowPayload(increment: number): Uint8Array {
  const payload = new Uint8Array(4);
  new DataView(payload.buffer).setUint32(0, increment);
  return payload;
}

export function readWindowIncrement(payload: Uint8Array): number {
  if (payload.length !== 4) throw protocolError('bad window frame');
  return new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0);
}

export function protocolError(message: string): SecureChannelError {
  return new SecureChannelError(SecureChannelErrorCode.MuxProtocol, message);
}
