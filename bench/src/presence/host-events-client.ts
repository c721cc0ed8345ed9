import { ApiPath, HostEvent } from '@hostlink/protocol';
import WebSocket from 'ws';
import { rawText } from '../agents/raw-text.js';

/** A presence change as a subscribed client received it. */
export interface SeenChange {
  online: boolean;
  reason?: string;
  /** performance.now() when this process received it. */
  at: number;
}

interface Waiter {
  online: boolean;
  resolve: (change: SeenChange) => void;
}

/**
 * The gateway's live host events (`ApiPath.events`), opened as the web client opens them
 * (apps/web/src/hosts/host-events.ts): a WebSocket from the gateway's own page origin, the session token as
 * the first message, then pushed changes of the hosts the session could list at that moment.
 */
export class HostEventsClient {
  private readonly waiters = new Map<string, Waiter[]>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.receive(rawText(data)));
  }

  static async open(gatewayUrl: string, sessionToken: string): Promise<HostEventsClient> {
    const url = new URL(ApiPath.events, gatewayUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(url, { origin: new URL(gatewayUrl).origin });
    const ready = new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        const event = HostEvent.safeParse(JSON.parse(rawText(data)));
        if (event.success && event.data.type === 'ready') resolve();
        if (event.success && event.data.type === 'error') reject(new Error(`events: ${event.data.message}`));
      });
      socket.once('error', reject);
      socket.once('close', (code) => reject(new Error(`events socket closed (${code})`)));
    });
    socket.once('open', () => socket.send(JSON.stringify({ type: 'auth', sessionToken })));
    const client = new HostEventsClient(socket);
    await ready;
    return client;
  }

  /** The next change of `hostId` to `online`, received after this call: call it before causing it. */
  next(hostId: string, online: boolean, timeoutMs: number): Promise<SeenChange> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${online ? 'online' : 'offline'} event for ${hostId} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      const waiters = this.waiters.get(hostId) ?? [];
      waiters.push({
        online,
        resolve: (change) => {
          clearTimeout(timer);
          resolve(change);
        },
      });
      this.waiters.set(hostId, waiters);
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(text: string): void {
    const at = performance.now();
    const event = HostEvent.safeParse(JSON.parse(text));
    if (!event.success || event.data.type !== 'presence') return;
    const { hostId, online, reason } = event.data;
    const waiters = this.waiters.get(hostId) ?? [];
    const index = waiters.findIndex((waiter) => waiter.online === online);
    if (index < 0) return;
    const [waiter] = waiters.splice(index, 1);
    waiter!.resolve({ online, reason, at });
  }
}
