import { ApiPath, HostEvent } from '@hostlink/protocol';

export interface HostEventsHandlers {
  onReady(): void;
  onPresence(hostId: string, online: boolean): void;
  /** The socket dropped; it reconnects by itself after a pause. */
  onDown(): void;
}

const RETRY_MS = 2_000;

/**
 * The gateway's live presence socket: the session token as the first message, then pushed changes.
 * Reconnects after a drop (a restarting gateway) until stopped.
 */
export function watchHostEvents(token: () => string, handlers: HostEventsHandlers): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = () => {
    const url = new URL(ApiPath.events, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.addEventListener('open', () =>
      socket?.send(JSON.stringify({ type: 'auth', sessionToken: token() })),
    );
    socket.addEventListener('message', (message: MessageEvent<unknown>) => dispatch(message.data, handlers));
    socket.addEventListener('close', () => {
      handlers.onDown();
      if (!stopped) retry = setTimeout(open, RETRY_MS);
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close();
  };
}

function dispatch(data: unknown, handlers: HostEventsHandlers): void {
  if (typeof data !== 'string') return;
  let parsed: ReturnType<typeof HostEvent.safeParse>;
  try {
    parsed = HostEvent.safeParse(JSON.parse(data));
  } catch {
    return;
  }
  if (!parsed.success) return;
  const event = parsed.data;
  if (event.type === 'ready') handlers.onReady();
  else if (event.type === 'presence') handlers.onPresence(event.hostId, event.online);
}
