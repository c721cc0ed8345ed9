import { z } from 'zod';
import { Candidate, Id } from '../primitives.js';

/** Agent <-> poll frames: one JSON text message each on the agent's WebSocket. */
export const POLL_MAX_FRAME_BYTES = 16 * 1024;
export const POLL_PATH = '/agent';

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(128);

export const PollServerFrame = z.discriminatedUnion('type', [
  /**
   * Proof of the agent's static X25519 key: the agent answers with
   * HMAC-SHA256(key = X25519(agentStatic, ephemeralPublicKey), data = "hostlink-poll-proof/1" | nonce | hostId).
   */
  z.object({ type: z.literal('challenge'), nonce: Base64Url, ephemeralPublicKey: Base64Url, pollId: z.string() }),
  z.object({ type: z.literal('welcome'), heartbeatSeconds: z.number().positive() }),
  z.object({
    type: z.literal('open-relay'),
    connectionId: z.string().max(128),
    relayUrl: z.string().max(2048),
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
