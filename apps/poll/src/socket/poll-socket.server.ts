import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
} from '@nestjs/common';
import { POLL_MAX_FRAME_BYTES, POLL_PATH } from '@hostlink/protocol';
import { WebSocketServer } from 'ws';
import { AgentSessionService } from '../agent-session/agent-session.service.js';
import { POLL_OPTIONS, type PollOptions } from '../poll.options.js';

/** Connections the kernel may queue before poll accepts them (see onModuleInit). */
const ACCEPT_BACKLOG = 8192;

/** The agents' WebSocket endpoint: listens from module init until shutdown. */
@Injectable()
export class PollSocketServer implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('PollSocketServer');
  private server?: WebSocketServer;

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly sessions: AgentSessionService,
  ) {}

  async onModuleInit(): Promise<void> {
    const server = new WebSocketServer({
      host: this.options.host,
      port: this.options.port,
      // When a poll instance dies, its agents (thousands) reconnect to the others within a second or two.
      // With Node's default of 511 pending connections the kernel drops the rest of the burst, their SYNs
      // come back seconds later, handshakes time out and are retried: 19,000 agents never all came back.
      // The kernel caps this at net.core.somaxconn.
      backlog: ACCEPT_BACKLOG,
      path: POLL_PATH,
      maxPayload: POLL_MAX_FRAME_BYTES,
      perMessageDeflate: false,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    server.on('error', (error) => this.logger.error({ msg: 'poll server error', error: error.message }));
    server.on('connection', (socket) => this.sessions.accept(socket));
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
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
