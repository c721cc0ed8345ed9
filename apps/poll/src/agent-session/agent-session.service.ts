import { Inject, Injectable, Logger } from '@nestjs/common';
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

/** The poll protocol for one agent socket: challenge, proof, presence, heartbeats, and how it ends. */
@Injectable()
export class AgentSessionService {
  private readonly logger = new Logger('AgentSession');

  constructor(
    @Inject(POLL_OPTIONS) private readonly options: PollOptions,
    private readonly authenticator: HostAuthenticator,
    private readonly presence: PollPresenceService,
    private readonly registry: AgentRegistry,
  ) {}

  accept(socket: WebSocket): void {
    const connection = new AgentConnection(socket);
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    socket.on('close', (code) => void this.onClose(connection, code));
    // Oversized frames and broken sockets surface here; `close` follows, so there is nothing else to do.
    socket.on('error', (error) => this.logger.debug({ msg: 'agent socket error', error: error.message }));
    const { nonce, ephemeralPublicKey } = connection.challenge!;
    connection.send({ type: 'challenge', nonce, ephemeralPublicKey, pollId: this.options.pollId });
    connection.armTimer(this.options.helloTimeoutMs ?? 5000, () =>
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
    connection.stopTimer();
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
      this.logger.warn({ msg: 'cannot verify agent now', hostId: hello.hostId, error: describe(error) });
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
      this.logger.error({ msg: 'presence store failed', hostId: hello.hostId, error: describe(error) });
      return connection.close(PollCloseCode.Unavailable, 'presence is unavailable', ErrorCode.Unavailable);
    }
    connection.state = 'online';
    if (connection.closed) return this.leave(connection, 'connection-lost');
    connection.send({ type: 'welcome', heartbeatSeconds: this.options.heartbeatSeconds });
    this.armHeartbeatDeadline(connection);
    this.logger.log({ msg: 'agent online', hostId: hello.hostId, connectionId: connection.connectionId });
  }

  private async heartbeat(connection: AgentConnection): Promise<void> {
    connection.restartTimer();
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
      this.logger.warn({ msg: 'heartbeat not recorded', hostId, error: describe(error) });
    }
  }

  private async bye(connection: AgentConnection): Promise<void> {
    await this.leave(connection, 'clean-stop');
    connection.close(1000, 'bye');
  }

  private armHeartbeatDeadline(connection: AgentConnection): void {
    connection.armTimer(heartbeatDeadlineMs(this.options), () => {
      void this.leave(connection, 'timeout');
      connection.close(PollCloseCode.Timeout, 'heartbeats missed', ErrorCode.Unavailable);
    });
  }

  private async onClose(connection: AgentConnection, code: number): Promise<void> {
    connection.closed = true;
    connection.stopTimer();
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
      this.logger.warn({ msg: 'presence not updated', hostId, error: describe(error) });
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
