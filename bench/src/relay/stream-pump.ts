import { type ByteLink, FRAME_HEADER_LEN, MAX_FRAME_BODY } from '@hostlink/secure-channel';

/**
 * One secure-channel frame per write, the largest there is: over a WebSocket link (the only paths pumped
 * here) each write is one message, and the channel never sends a message larger than one frame.
 */
const CHUNK = Buffer.alloc(FRAME_HEADER_LEN + MAX_FRAME_BODY, 0xa5);

/** A transfer not done by then has hung (a relay bug, a dead peer): the bench fails instead of waiting. */
const DEADLINE_MS = 5 * 60_000;

export interface PumpResult {
  bytes: number;
  seconds: number;
  bitsPerSecond: number;
}

/**
 * Moves `bytes` from `sender` to `receiver` as fast as the path allows, honouring backpressure, and
 * resolves when the last byte has arrived. Both ends run in this process, so the figure includes the
 * cost of producing and consuming the bytes, the same for every path compared.
 */
export async function pump(sender: ByteLink, receiver: ByteLink, bytes: number): Promise<PumpResult> {
  const started = performance.now();
  let deadline: NodeJS.Timeout | undefined;
  const arrived = new Promise<void>((resolve, reject) => {
    let received = 0;
    receiver.onData((chunk) => {
      received += chunk.length;
      if (received >= bytes) resolve();
    });
    receiver.onClose((error) => reject(error ?? new Error(`receiver closed after ${received} bytes`)));
    deadline = setTimeout(() => reject(new Error(`transfer hung after ${received} bytes`)), DEADLINE_MS);
  });
  // A sender stuck on backpressure must not hold the bench either: the deadline ends that wait too.
  const sending = (async () => {
    for (let sent = 0; sent < bytes; sent += CHUNK.length) {
      await sender.write(sent + CHUNK.length <= bytes ? CHUNK : CHUNK.subarray(0, bytes - sent));
    }
  })();
  await Promise.all([sending, arrived]).finally(() => clearTimeout(deadline));
  const seconds = (performance.now() - started) / 1000;
  return { bytes, seconds, bitsPerSecond: (bytes * 8) / seconds };
}
