import { z } from 'zod';
import { CorrelationId } from '../primitives.js';

/**
 * A relay leg opens with one hello carrying its ticket; the relay answers once, then splices raw bytes.
 * On TCP each of these two messages is a 4-byte big-endian length and UTF-8 JSON; on a WebSocket each is
 * one text message. After `paired` the legs carry the secure channel's ciphertext only.
 */
export const RELAY_MAX_HELLO_BYTES = 8 * 1024;
export const RELAY_WS_PATH = '/relay';

export const RelayHello = z.object({ type: z.literal('hello'), ticket: z.string().min(1).max(8000) });
export type RelayHello = z.infer<typeof RelayHello>;

export const RelayReply = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paired') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type RelayReply = z.infer<typeof RelayReply>;

/** Claims of a relay ticket (a JWT of kind RelayTicket signed by the broker). */
export const RelayTicketClaims = z.object({
  jti: z.string(),
  /** The connection both legs belong to. */
  cid: z.string(),
  role: z.enum(['client', 'agent']),
  exp: z.number(),
  /** The connect request's correlation id, so the relay's log lines of this connection carry it. */
  corr: CorrelationId.optional(),
});
export type RelayTicketClaims = z.infer<typeof RelayTicketClaims>;

/** A relay hello or reply as sent on a TCP leg: 4-byte big-endian length, then UTF-8 JSON. */
export function encodeRelayTcpMessage(message: RelayHello | RelayReply): Uint8Array {
  const body = new TextEncoder().encode(JSON.stringify(message));
  const frame = new Uint8Array(4 + body.length);
  new DataView(frame.buffer).setUint32(0, body.length);
  frame.set(body, 4);
  return frame;
}
