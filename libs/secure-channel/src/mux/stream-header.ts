import { SecureChannelError, SecureChannelErrorCode } from '../secure-channel.exception.js';
import type { MuxStream } from './mux-stream.js';

/** Each stream direction starts with a 4-byte BE length and that many bytes of UTF-8 JSON. */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

export async function writeHeader(stream: MuxStream, header: unknown): Promise<void> {
  const json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length > MAX_HEADER_BYTES) {
    throw new SecureChannelError(SecureChannelErrorCode.HeaderTooLarge, `header of ${json.length} bytes`);
  }
  const frame = new Uint8Array(4 + json.length);
  new DataView(frame.buffer).setUint32(0, json.length);
  frame.set(json, 4);
  await stream.write(frame);
}

/**
 * Reads and parses the header; body bytes that arrived with it are put back, so the stream then
 * yields exactly the body. The result is unvalidated JSON: check it against the protocol schema.
 */
export async function readHeader(stream: MuxStream, maxBytes = MAX_HEADER_BYTES): Promise<unknown> {
  const prefix = await readExactly(stream, 4);
  const length = new DataView(prefix.buffer, prefix.byteOffset, 4).getUint32(0);
  if (length > maxBytes) {
    stream.reset('header too large');
    throw new SecureChannelError(SecureChannelErrorCode.HeaderTooLarge, `header of ${length} bytes`);
  }
  const body = await readExactly(stream, length);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
  } catch (cause) {
    stream.reset('invalid header');
    throw new SecureChannelError(SecureChannelErrorCode.HeaderInvalid, 'header is not UTF-8 JSON', { cause });
  }
}

async function readExactly(stream: MuxStream, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const chunk = await stream.read();
    if (!chunk)
      throw new SecureChannelError(SecureChannelErrorCode.HeaderInvalid, 'stream ended inside header');
    const used = Math.min(chunk.length, length - filled);
    out.set(chunk.subarray(0, used), filled);
    filled += used;
    if (used < chunk.length) stream.unshift(chunk.subarray(used));
  }
  return out;
}
