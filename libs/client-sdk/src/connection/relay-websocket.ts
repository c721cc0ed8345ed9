import { ErrorCode, HostlinkError, RelayReply, type RelayHello } from '@hostlink/protocol';
import { createWebSocketLink, type ByteLink, type WebSocketLike } from '@hostlink/secure-channel';

/** A WebSocket (browser or `ws`) that can also send the text hello and drop our one-off listeners. */
export interface RelayWebSocket extends WebSocketLike {
  send(data: string | Uint8Array): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
}

export const DEFAULT_PAIRING_TIMEOUT_MS = 30_000;

/**
 * Relay leg over a WebSocket: one text hello with the ticket, one text reply, then binary ciphertext.
 * The byte link is created inside the `paired` handler so no binary message can slip past it.
 */
export function pairOverWebSocket(
  socket: RelayWebSocket,
  ticket: string,
  timeoutMs = DEFAULT_PAIRING_TIMEOUT_MS,
): Promise<ByteLink> {
  return new Promise((resolve, reject) => {
    const fail = (error: HostlinkError) => {
      cleanup();
      socket.close(1000);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new HostlinkError(ErrorCode.Unavailable, 'the relay did not pair this connection in time')),
      timeoutMs,
    );
    const onOpen = () => socket.send(JSON.stringify({ type: 'hello', ticket } satisfies RelayHello));
    const onMessage = (event: { data: unknown }) => {
      if (typeof event.data !== 'string')
        return fail(new HostlinkError(ErrorCode.Unavailable, 'relay sent binary data before pairing'));
      const reply = parseReply(event.data);
      if (reply.type === 'error') return fail(relayError(reply.code, reply.message));
      cleanup();
      resolve(createWebSocketLink(socket));
    };
    const onClose = () =>
      fail(new HostlinkError(ErrorCode.Unavailable, 'the relay closed the connection before pairing'));
    function cleanup() {
      clearTimeout(timer);
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('message', onMessage);
      socket.removeEventListener('close', onClose);
    }
    socket.addEventListener('open', onOpen);
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', onClose);
  });
}

export function parseReply(text: string): RelayReply {
  try {
    const parsed = RelayReply.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { type: 'error', code: ErrorCode.Internal, message: 'the relay sent an unreadable reply' };
}

export function relayError(code: string, message: string): HostlinkError {
  const known = (Object.values(ErrorCode) as string[]).includes(code)
    ? (code as ErrorCode)
    : ErrorCode.Unavailable;
  return new HostlinkError(known, `relay refused the connection: ${message}`);
}
