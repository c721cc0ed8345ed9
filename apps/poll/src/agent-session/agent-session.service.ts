import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  ErrorCode,
  HostlinkError,
  type OfflineReason,
  PollAgentFrame,
  PollCloseCode,
} from '@hostlink/protocol';
import type { RestoreResult, TouchResult } from '@hostlink/presence';
import type { RawData, WebSocket } from 'ws';
import { heartbeatDeadlineMs, POLL_OPTIONS, type PollOptions } from '../poll.options.js';
import { PollPresenceService } from '../presence/poll-presence.service.js';
import { AgentConnection } from './agent-connection.js';
import { AgentRegistry } from './agent-registry.js';
import { HostAuthenticator } from './host-authenticator.service.js';

type Hello = Extract<PollAgentFrame, { type: 'hello' }>;

const logger = new Logger('AgentSession');
/** The connection of each agent socket, for the listeners that every socket shares. */
const connections = new WeakMap<WebSocket, AgentConnection>();

/** Oversized frames and broken sockets surface here; `close` follows, so there is nothing else to do. */
function socketError(error: Error): void {
  logger.debug({ msg: 'agent socket error', error: error.message });
}

/**
 * The poll protocol for one agent socket: challenge, proof, presence, heartbeats, and how it ends. What it
 * keeps per agent is kept small: one set of socket listeners for all sockets (`this` is the socket) instead
 * of closures per socket, and one sweep a few times a second over every online connection's heartbeat
 * deadline instead of a timer per agent (together a sixth of what poll held per agent beyond the WebSocket).
 */
@Injectable()
export class AgentSessionService implements OnModuleInit, OnModuleDestroy {
  private readonly deadlineMs = heartbeatDeadlineMs(this.options);
  private sweeper?: NodeJS.Timeout;
  private handshakes = 0;
  private readonly listeners: {
    message: (this: WebSocket, data: RawData, isBinary: boolean) => void;
    close: (this: WebSocket, code: number) => void;
  };

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly authenticator: HostAuthenticator,
    private readonly presence: PollPresenceService,
    private readonly registry: AgentRegistry,
  ) {
    const [onMessage, onClose] = [this.onMessage.bind(this), this.onClose.bind(this)];
    this.listeners = {
      message(data, isBinary) {
        onMessage(connections.get(this)!, data, isBinary);
      },
      close(code) {
        void onClose(connections.get(this)!, code);
      },
    };
  }

  /** Agents between connecting and online right now (the socket server admits a bounded number). */
  get handshaking(): number {
    return this.handshakes;
  }

  onModuleInit(): void {
    // Often enough that a deadline is met within a sixth of its length (at most a quarter of a second late).
    this.sweeper = setInterval(() => this.sweepDeadlines(), Math.min(250, this.deadlineMs / 6));
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
  }

  accept(socket: WebSocket): void {
    const connection = new AgentConnection(socket);
    this.handshakes += 1;
    connections.set(socket, connection);
    socket.on('message', this.listeners.message);
    socket.on('close', this.listeners.close);
    socket.on('error', socketError);
    const { nonce, ephemeralPublicKey } = connection.challenge!;
    connection.send({ type: 'challenge', nonce, ephemeralPublicKey, pollId: this.options.pollId });
    connection.armHelloTimer(this.options.helloTimeoutMs ?? 5000, () =>
      connection.close(PollCloseCode.Timeout, 'no hello in time', ErrorCode.Unauthenticated),
    );
  }

  /** Tells every agent held here that this instance is going away. */
  async shutdown(): Promise<void> {
    await Promise.all(
      this.registry.all().map(async (connection) => {
        await this.leave(connection, 'poll-shutdown');
        connection.close(PollCloseCode.GoingAway, 'poll is shutting down');
      }),
    );
  }

  /** The host was removed: offline at once, and its agent told to re-enroll rather than retry. */
  async revoke(connection: AgentConnection): Promise<void> {
    await this.leave(connection, 'removed');
    connection.close(PollCloseCode.Unauthenticated, 'host removed', ErrorCode.Unauthenticated);
  }

  private onMessage(connection: AgentConnection, data: RawData, isBinary: boolean): void {
    if (connection.state === 'gone') return;
    if (isBinary)
      return connection.close(
        PollCloseCode.UnsupportedData,
        'binary frames are not allowed',
        ErrorCode.BadRequest,
      );
    const frame = parseFrame(data);
    if (!frame) return connection.close(PollCloseCode.ProtocolError, 'malformed frame', ErrorCode.BadRequest);
    if (connection.state === 'challenged' && frame.type === 'hello')
      return void this.authenticate(connection, frame);
    if (connection.state === 'online' && frame.type === 'heartbeat') return void this.heartbeat(connection);
    if (connection.state === 'online' && frame.type === 'bye') return void this.bye(connection);
    connection.close(PollCloseCode.ProtocolError, `unexpected ${frame.type} frame`, ErrorCode.BadRequest);
  }

  private async authenticate(connection: AgentConnection, hello: Hello): Promise<void> {
    connection.state = 'authenticating';
    connection.stopHelloTimer();
    const challenge = connection.challenge!;
    connection.challenge = undefined;
    try {
      if (!(await this.authenticator.verify(hello.hostId, challenge, hello.proof))) {
        return connection.close(
          PollCloseCode.Unauthenticated,
          'unknown host or wrong proof',
          ErrorCode.Unauthenticated,
        );
      }
    } catch (error) {
      logger.warn({ msg: 'cannot verify agent now', hostId: hello.hostId, error: describe(error) });
      return connection.close(
        PollCloseCode.Unavailable,
        'cannot verify the host right now',
        ErrorCode.Unavailable,
      );
    }
    if (connection.closed) return;
    await this.goOnline(connection, hello);
  }

  private async goOnline(connection: AgentConnection, hello: Hello): Promise<void> {
    connection.hostId = hello.hostId;
    connection.direct = hello.direct;
    const previous = this.registry.hold(hello.hostId, connection);
    if (previous) replace(previous);
    try {
      await this.presence.online(hello.hostId, connection.connectionId, connection.connectedAt, hello.direct);
    } catch (error) {
      this.registry.release(hello.hostId, connection);
      logger.error({ msg: 'presence store failed', hostId: hello.hostId, error: describe(error) });
      return connection.close(PollCloseCode.Unavailable, 'presence is unavailable', ErrorCode.Unavailable);
    }
    connection.state = 'online';
    this.endHandshake(connection);
    if (connection.closed) return this.leave(connection, 'connection-lost');
    connection.send({ type: 'welcome', heartbeatSeconds: this.options.heartbeatSeconds });
    this.extendDeadline(connection);
    logger.log({ msg: 'agent online', hostId: hello.hostId, connectionId: connection.connectionId });
  }

  private async heartbeat(connection: AgentConnection): Promise<void> {
    this.extendDeadline(connection);
    const hostId = connection.hostId ?? '';
    const { connectionId, connectedAt, direct } = connection;
    try {
      let result: TouchResult | RestoreResult = await this.presence.touch(hostId, connectionId);
      // The store lost the host although this connection lives: put it back, unless it ended meanwhile.
      if (result === 'lost' && connection.state === 'online')
        result = await this.presence.restore(hostId, connectionId, connectedAt, direct);
      // Another connection (maybe on another poll instance) holds the host now.
      if (result === 'replaced') replace(connection);
    } catch (error) {
      // The deadline still runs: a store that stays down ends the connection as a timeout.
      logger.warn({ msg: 'heartbeat not recorded', hostId, error: describe(error) });
    }
  }

  private async bye(connection: AgentConnection): Promise<void> {
    await this.leave(connection, 'clean-stop');
    connection.close(1000, 'bye');
  }

  private extendDeadline(connection: AgentConnection): void {
    connection.deadline = Math.ceil(performance.now()) + this.deadlineMs;
  }

  /** Online connections whose heartbeats stopped: offline as a timeout, and closed. */
  private sweepDeadlines(): void {
    const now = performance.now();
    for (const connection of this.registry.values()) {
      if (connection.state !== 'online' || connection.deadline > now) continue;
      void this.leave(connection, 'timeout');
      connection.close(PollCloseCode.Timeout, 'heartbeats missed', ErrorCode.Unavailable);
    }
  }

  private endHandshake(connection: AgentConnection): void {
    if (!connection.handshaking) return;
    connection.handshaking = false;
    this.handshakes -= 1;
  }

  private async onClose(connection: AgentConnection, code: number): Promise<void> {
    connection.closed = true;
    connection.stopHelloTimer();
    this.endHandshake(connection);
    if (connection.state !== 'online') return;
    await this.leave(connection, code === 1000 ? 'clean-stop' : 'connection-lost');
  }

  /** Ends this connection's presence once, whichever of bye, close, timeout or shutdown comes first. */
  private async leave(connection: AgentConnection, reason: OfflineReason): Promise<void> {
    const hostId = connection.hostId;
    if (hostId === undefined || connection.state !== 'online') return;
    connection.state = 'gone';
    this.registry.release(hostId, connection);
    if (connection.replaced) return;
    try {
      await this.presence.offline(hostId, connection.connectionId, reason);
    } catch (error) {
      logger.warn({ msg: 'presence not updated', hostId, error: describe(error) });
    }
  }
}

function replace(connection: AgentConnection): void {
  connection.replaced = true;
  connection.send({ type: 'replaced' });
  connection.close(PollCloseCode.Replaced, 'replaced by a newer connection');
}

function parseFrame(data: RawData): PollAgentFrame | undefined {
  // ws hands text frames over as one Buffer (fragments already joined).
  if (!Buffer.isBuffer(data)) return undefined;
  try {
    const parsed = PollAgentFrame.safeParse(JSON.parse(data.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const describe = (error: unknown): string => (error instanceof HostlinkError ? error.code : String(error));
