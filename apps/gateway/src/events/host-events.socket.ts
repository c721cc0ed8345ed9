import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiPath } from '@hostlink/protocol';
import { WebSocketServer } from 'ws';
import { pageOrigin, WEB_OPTIONS, type WebOptions } from '../web/web.options.js';
import { HostEventsSession } from './host-events.session.js';
import { HostEventsService } from './host-events.service.js';

/** The auth message and nothing else ever comes from the browser. */
const MAX_MESSAGE_BYTES = 16 * 1024;

/**
 * `GET /api/v1/events` upgraded to a WebSocket on the gateway's own HTTP server. The upgrade must come
 * from the gateway's own page origin (browsers always send Origin; a page of another site is refused, so
 * it cannot use a victim's network position or session).
 */
@Injectable()
export class HostEventsSocket implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('HostEvents');
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });
  private readonly origin: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly events: HostEventsService,
    @Inject(WEB_OPTIONS) options: WebOptions,
  ) {
    this.origin = pageOrigin(options);
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as import('node:http').Server;
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  onApplicationShutdown(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== ApiPath.events) return;
    if (request.headers.origin !== this.origin) {
      this.logger.warn({ msg: 'events upgrade refused', origin: request.headers.origin ?? null });
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => new HostEventsSession(ws, this.events).start());
  }
}
