import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ErrorCode, RELAY_MAX_HELLO_BYTES, RELAY_WS_PATH } from '@hostlink/protocol';
import { WebSocketServer } from 'ws';
import { TcpLeg } from '../legs/tcp-leg.js';
import { WsLeg } from '../legs/ws-leg.js';
import { PairingService } from '../pairing/pairing.service.js';
import { RELAY_OPTIONS, RELAY_WS_MAX_MESSAGE_BYTES, type RelayOptions } from '../relay.options.js';
import { readTcpHello } from './tcp-hello.reader.js';

const HTTP_PREFIX = Buffer.from('GET ');

/**
 * One port for both leg kinds: the first bytes decide. `GET ` goes to an HTTP server for the WebSocket
 * upgrade; anything else is a raw TCP leg whose hello is a 4-byte length and JSON.
 */
@Injectable()
export class RelayListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RelayListener');
  private readonly server: Server = createServer({ noDelay: true, pauseOnConnect: false }, (socket) =>
    this.sniff(socket),
  );
  private readonly http: HttpServer = createHttpServer((_request, response) => {
    response
      .writeHead(426, { connection: 'close', 'content-type': 'text/plain' })
      .end('relay legs use TCP or WebSocket\n');
  });
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: RELAY_WS_MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });

  constructor(
    @Inject(RELAY_OPTIONS) private readonly options: RelayOptions,
    private readonly pairing: PairingService,
  ) {
    this.http.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://relay').pathname !== RELAY_WS_PATH) return socket.destroy();
      // A browser always names its page's origin: only the gateway's own page may open a leg.
      const origin = request.headers.origin;
      if (origin !== undefined && !this.options.browserOrigins.includes(origin)) {
        this.logger.warn({ msg: 'relay upgrade refused', origin });
        return void socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => this.acceptWs(new WsLeg(ws)));
    });
    this.server.on('error', (error) =>
      this.logger.error({ msg: 'relay server error', error: error.message }),
    );
  }

  async onModuleInit(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.logger.log({ msg: 'relay listening', host: this.options.host, port: this.port });
  }

  /** The bound port (differs from the configured one when that was 0). */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : this.options.port;
  }

  async onApplicationShutdown(): Promise<void> {
    this.pairing.closeAll();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sniff(socket: Socket): void {
    socket.on('error', () => socket.destroy());
    const deadline = setTimeout(() => socket.destroy(), this.options.pairTimeoutMs);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < HTTP_PREFIX.length) return;
      socket.off('data', onData);
      socket.pause();
      clearTimeout(deadline);
      if (head.subarray(0, HTTP_PREFIX.length).equals(HTTP_PREFIX)) {
        socket.unshift(head);
        this.http.emit('connection', socket);
        // The HTTP server only adds a listener; a socket paused by hand must be resumed explicitly.
        socket.resume();
      } else {
        this.acceptTcp(socket, head);
      }
    };
    socket.on('data', onData);
    socket.once('close', () => clearTimeout(deadline));
  }

  private acceptTcp(socket: Socket, head: Buffer): void {
    const leg = new TcpLeg(socket);
    const deadline = setTimeout(
      () => leg.fail(ErrorCode.BadRequest, 'no hello in time'),
      this.options.pairTimeoutMs,
    );
    socket.resume();
    readTcpHello(socket, head, (result) => {
      clearTimeout(deadline);
      if (!result.ok) return leg.fail(ErrorCode.BadRequest, result.message);
      void this.pairing.admit(leg, result.hello);
    });
  }

  private acceptWs(leg: WsLeg): void {
    const deadline = setTimeout(
      () => leg.fail(ErrorCode.BadRequest, 'no hello in time'),
      this.options.pairTimeoutMs,
    );
    leg.onClose(() => clearTimeout(deadline));
    leg.firstMessage((message) => {
      clearTimeout(deadline);
      if (message.length > RELAY_MAX_HELLO_BYTES) return leg.fail(ErrorCode.BadRequest, 'hello too large');
      void this.pairing.admit(leg, message);
    });
  }
}
