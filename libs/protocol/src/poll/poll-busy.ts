/**
 * Poll's answer to an agent it cannot admit now (a reconnect burst past its handshake limit): HTTP 503 at
 * the upgrade, before any WebSocket work, with `retry-after` in whole seconds naming the agent's own slot
 * in poll's schedule. The agent comes back then, spread over the following second, instead of growing
 * its back-off: poll spaces the slots at the rate it completes handshakes.
 */
export const POLL_BUSY_STATUS = 503;

/** The longest wait an agent takes from poll; a longer or malformed one falls back to its own back-off. */
export const POLL_MAX_RETRY_AFTER_SECONDS = 300;

/**
 * Milliseconds until the agent comes back, from a busy answer's `retry-after`: the seconds named plus up
 * to one more, at random. Undefined unless the header is a whole number of seconds from 1 to
 * POLL_MAX_RETRY_AFTER_SECONDS (HTTP also allows a date: poll never sends one).
 */
export function pollRetryAfterMs(header: unknown, random: () => number = Math.random): number | undefined {
  if (typeof header !== 'string' || !/^\d{1,3}$/.test(header)) return undefined;
  const seconds = Number(header);
  if (seconds < 1 || seconds > POLL_MAX_RETRY_AFTER_SECONDS) return undefined;
  return seconds * 1000 + Math.floor(random() * 1000);
}
