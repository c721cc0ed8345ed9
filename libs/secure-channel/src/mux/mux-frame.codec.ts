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
