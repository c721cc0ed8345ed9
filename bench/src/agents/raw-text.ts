import type WebSocket from 'ws';

/** A text message as `ws` hands it over (a Buffer with the default binaryType), decoded as UTF-8. */
export function rawText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}
