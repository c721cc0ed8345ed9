import {
  ErrorCode,
  HostEventsAuth,
  HostEventsClose,
  HostlinkError,
  type HostEvent,
} from '@hostlink/protocol';
import { type RawData, WebSocket } from 'ws';
import type { HostEventsService } from './host-events.service.js';

/** A socket that has not authenticated within this time is closed. */
const AUTH_TIMEOUT_MS = 10_000;
/** Keeps proxies from dropping an idle socket, and finds dead peers. */
const PING_INTERVAL_MS = 25_000;

/** One browser's events socket: first message the session token, then presence changes until closed. */
export class HostEventsSession {
  private unsubscribe: (() => void) | null = null;
  private authenticated = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly events: HostEventsService,
  ) {}

  start(): void {
    const timeout = setTimeout(
      () => this.close(HostEventsClose.unauthenticated, 'no auth in time'),
      AUTH_TIMEOUT_MS,
    );
    const ping = setInterval(() => this.ws.ping(), PING_INTERVAL_MS);
    this.ws.on('message', (data, isBinary) => {
      clearTimeout(timeout);
      void this.receive(data, isBinary);
    });
    this.ws.on('error', () => this.ws.terminate());
    this.ws.on('close', () => {
      clearTimeout(timeout);
      clearInterval(ping);
      this.unsubscribe?.();
    });
  }

  private async receive(data: RawData, isBinary: boolean): Promise<void> {
    if (this.authenticated || isBinary) return this.close(HostEventsClose.badRequest, 'unexpected message');
    this.authenticated = true;
    let auth: HostEventsAuth;
    try {
      auth = HostEventsAuth.parse(JSON.parse(rawText(data)));
    } catch {
      return this.close(HostEventsClose.badRequest, 'expected {"type":"auth","sessionToken":...}');
    }
    try {
      const unsubscribe = await this.events.subscribe(auth.sessionToken, (event) =>
        this.send({
          type: 'presence',
          hostId: event.hostId,
          online: event.online,
          at: event.at,
          reason: event.reason,
        }),
      );
      if (this.ws.readyState !== WebSocket.OPEN) return unsubscribe();
      this.unsubscribe = unsubscribe;
      this.send({ type: 'ready' });
    } catch (error) {
      const known =
        error instanceof HostlinkError ? error : new HostlinkError(ErrorCode.Internal, 'internal error');
      this.send({ type: 'error', code: known.code, message: known.message });
      this.close(HostEventsClose.unauthenticated, known.code);
    }
  }

  private send(event: HostEvent): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(event));
  }

  private close(code: number, reason: string): void {
    this.ws.close(code, reason.slice(0, 120));
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}
