import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { POLL_BUSY_STATUS, POLL_MAX_FRAME_BYTES, POLL_PATH } from '@hostlink/protocol';
import { WebSocketServer } from 'ws';
import { AgentSessionService } from '../agent-session/agent-session.service.js';
import { POLL_OPTIONS, type PollOptions } from '../poll.options.js';
import { ComebackSchedule } from './comeback-schedule.js';

/**
 * Connections the kernel may queue before poll accepts them (it caps this at net.core.somaxconn): when a
 * poll instance dies, thousands of agents reconnect to the others within a second or two, and a dropped
 * SYN costs an agent seconds of retransmission before it even reaches the admission check below.
 */
const ACCEPT_BACKLOG = 8192;
const busy = (retryAfterSeconds: number) =>
  `HTTP/1.1 ${POLL_BUSY_STATUS} Service Unavailable\r\nretry-after: ${retryAfterSeconds}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`;
const NOT_HERE = 'HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n';

/** One listener for every socket (a closure per socket would stay for the connection's life). */
function destroy(this: Duplex): void {
  this.destroy();
}

/**
 * The agents' WebSocket endpoint: listens from module init until shutdown. It admits at most
 * `maxHandshakes` agents between connecting and online at once and answers the others 503 before any work,
 * each with its own time to come back (comeback-schedule.ts): under a reconnect burst larger than the
 * instance can take, handshakes queued without bound outlived the agents' 10-second handshake timeout,
 * every retry added to the queue, and 19,000 agents never came back; admitted, each handshake finishes in
 * a fraction of a second.
 */
@Injectable()
export class PollSocketServer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('PollSocketServer');
  private readonly sockets = new WebSocketServer({
    noServer: true,
    path: POLL_PATH,
    maxPayload: POLL_MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  private readonly maxHandshakes = this.options.maxHandshakes ?? 1024;
  /**
   * As many a second as the limit: one instance on two cores shared with 19,000 simulated agents completes
   * about 1,100 a second. Twice that overloaded them (more hello timeouts and retries, 39-45 s to bring
   * all back); 512 a second left the instance idle (about 42 s); at 1,024 it took 29-39 s.
   */
  private readonly comebacks = new ComebackSchedule(this.maxHandshakes);
  private server?: Server;
  private refusedSinceLog = 0;
  private lastRefusalLog = 0;

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly sessions: AgentSessionService,
  ) {}

  async onModuleInit(): Promise<void> {
    const server = createServer((_request, response) => {
      response.writeHead(426, { 'content-type': 'text/plain' }).end('Upgrade Required');
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.options.host, port: this.options.port, backlog: ACCEPT_BACKLOG }, resolve);
    });
    server.on('error', (error) => this.logger.error({ msg: 'poll server error', error: error.message }));
    this.server = server;
    this.logger.log({ msg: 'poll listening', host: this.options.host, port: this.port, path: POLL_PATH });
  }

  /** The bound port (differs from the configured one when that was 0). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await this.sessions.shutdown();
    for (const client of this.sockets.clients) client.terminate();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', destroy);
    if (!this.sockets.shouldHandle(request)) return void socket.end(NOT_HERE);
    if (this.sessions.handshaking >= this.maxHandshakes) return this.refuse(socket);
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.sessions.accept(ws));
  }

  /** 503 now with a time to come back, and a warning at most every 5 seconds saying how many were refused. */
  private refuse(socket: Duplex): void {
    socket.end(busy(this.comebacks.retryAfterSeconds()));
    this.refusedSinceLog += 1;
    const now = Date.now();
    if (now - this.lastRefusalLog < 5000) return;
    this.logger.warn({ msg: 'busy: agents refused, they retry', refused: this.refusedSinceLog });
    this.refusedSinceLog = 0;
    this.lastRefusalLog = now;
  }
}
