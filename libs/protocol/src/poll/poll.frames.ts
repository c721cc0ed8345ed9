import { z } from 'zod';
import { Candidate, Id } from '../primitives.js';

/** Agent <-> poll frames: one JSON text message each on the agent's WebSocket. */
export const POLL_MAX_FRAME_BYTES = 16 * 1024;
export const POLL_PATH = '/agent';

const Base64Url = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/)
  .max(128);

export const PollServerFrame = z.discriminatedUnion('type', [
  /**
   * Proof of the agent's static X25519 key: the agent answers with
   * HMAC-SHA256(key = X25519(agentStatic, ephemeralPublicKey), data = "hostlink-poll-proof/1" | nonce | hostId).
   */
  z.object({
    type: z.literal('challenge'),
    nonce: Base64Url,
    ephemeralPublicKey: Base64Url,
    pollId: z.string(),
  }),
  z.object({ type: z.literal('welcome'), heartbeatSeconds: z.number().positive() }),
  z.object({
    type: z.literal('open-relay'),
    connectionId: z.string().max(128),
    relayUrl: z.string().max(2048),
    /** Preferred by an agent that can open raw TCP (see RelayLoad.tcpUrl). */
    relayTcpUrl: z.string().max(2048).optional(),
    ticket: z.string().max(8192),
  }),
  z.object({ type: z.literal('replaced') }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type PollServerFrame = z.infer<typeof PollServerFrame>;

export const PollAgentFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    hostId: Id,
    proof: Base64Url,
    agentVersion: z.string().max(32),
    direct: z.array(Candidate).max(16),
  }),
  z.object({ type: z.literal('heartbeat') }),
  z.object({ type: z.literal('bye') }),
]);
export type PollAgentFrame = z.infer<typeof PollAgentFrame>;

export const POLL_PROOF_LABEL = 'hostlink-poll-proof/1';

/**
 * The exact bytes the proof HMAC covers: UTF-8 of `label|nonce|hostId`, with the nonce as sent (base64url).
 * The HMAC key is the raw 32-byte X25519 shared secret; the proof is the 32-byte tag in base64url.
 */
export const pollProofInput = (nonce: string, hostId: string): string =>
  `${POLL_PROOF_LABEL}|${nonce}|${hostId}`;

/** WebSocket close codes poll uses, so an agent can tell "retry later" from "fix something first". */
export const PollCloseCode = {
  /** Poll is shutting down: reconnect (to another instance) with back-off. */
  GoingAway: 1001,
  /** A binary frame: the protocol is JSON text only. */
  UnsupportedData: 1003,
  /** A frame larger than POLL_MAX_FRAME_BYTES. */
  TooBig: 1009,
  /** Malformed JSON, an unknown frame type, or a frame out of order (anything before `hello`). */
  ProtocolError: 4400,
  /** Unknown host or a wrong proof: the agent must re-enroll; retrying the same key will not help. */
  Unauthenticated: 4401,
  /** No `hello` in time, or heartbeats missed. */
  Timeout: 4408,
  /** A newer connection of the same host took over (sent after a `replaced` frame). */
  Replaced: 4409,
  /** Poll could not check the proof right now (broker unreachable): retry with back-off. */
  Unavailable: 4503,
} as const;
