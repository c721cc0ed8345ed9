import { Logger } from '@nestjs/common';
import {
  ClientNats,
  type MessageHandler,
  type MsPattern,
  NatsContext,
  type ReadPacket,
  ServerNats,
} from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { DurableSubjects, ErrorCode, HostlinkError } from '@hostlink/protocol';
import { lastValueFrom } from 'rxjs';
import { reachesEveryInstance } from './delivery.js';
import { EventStream } from './durable/event-stream.js';

/** What a service needs to reach NATS; `queue` is the service's queue group (protocol `QueueGroup`). */
export interface NatsBusOptions {
  kind: 'nats';
  servers: string | string[];
  queue: string;
  /** Puts every subject under `<prefix>.`, so that several deployments or test runs share one NATS. */
  subjectPrefix?: string;
  requestTimeoutMs?: number;
  /** Event subjects kept until handled (JetStream); the protocol's `DurableSubjects` unless given. */
  durableSubjects?: readonly string[];
}

const SUBJECT_TOKENS = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Returns the subject as seen on the wire; refuses a prefix that would add wildcards or empty tokens. */
export function wireSubject(subjectPrefix: string | undefined, subject: string): string {
  if (subjectPrefix === undefined) return subject;
  if (!SUBJECT_TOKENS.test(subjectPrefix)) throw new Error(`invalid NATS subject prefix "${subjectPrefix}"`);
  return `${subjectPrefix}.${subject}`;
}

/**
 * A service keeps retrying a NATS that restarts, instead of giving up after the client's default 10 tries.
 * `noAsyncTraces`: nats.js otherwise builds two Error objects with stack traces for every request, in case
 * it fails (a tenth of poll's CPU per agent connecting, in a profile of 19,000 reconnecting); a failed
 * request still says what failed, and the bus maps it to a domain error anyway.
 */
const connection = (options: NatsBusOptions) => ({
  servers: options.servers,
  maxReconnectAttempts: -1,
  noAsyncTraces: true,
});

const durableSubjects = (options: NatsBusOptions) => options.durableSubjects ?? DurableSubjects;

function eventStream(nats: NatsConnection, options: NatsBusOptions): EventStream {
  const subjects = durableSubjects(options).map((subject) => wireSubject(options.subjectPrefix, subject));
  return new EventStream(nats, subjects, options.subjectPrefix);
}

/**
 * Nest's NATS server, every handler subscribed under the subject prefix and in the service's queue group,
 * so that instances of one service share its requests and its events (each goes to one instance).
 *
 * Nest subscribes each handler to the key it is registered under and never lets a pattern be mapped,
 * so the keys are renamed once connected, just before Nest subscribes (handlers added later would not
 * be subscribed by Nest's NATS server anyway). Handlers marked `EveryInstance` subscribe outside the queue
 * group: Nest takes a handler's own `queue` over the default, and an empty one is a plain subscription.
 */
export class NatsBusServer extends ServerNats {
  private readonly durableHandlers = new Map<string, MessageHandler>();
  private readonly stopConsumers: (() => Promise<void>)[] = [];
  private nats?: NatsConnection;
  private readonly log = new Logger('Bus');

  constructor(private readonly busOptions: NatsBusOptions) {
    super({ ...connection(busOptions), queue: busOptions.queue });
    wireSubject(busOptions.subjectPrefix, 'check');
  }

  override start(callback: (err?: unknown, ...optionalParams: unknown[]) => void): void {
    const durable = durableSubjects(this.busOptions);
    for (const [subject, handler] of [...this.messageHandlers]) {
      this.messageHandlers.delete(subject);
      const wire = wireSubject(this.busOptions.subjectPrefix, subject);
      // A durable subject watched by every instance (a gateway pushing presence to browsers) is a plain
      // subscription: JetStream publishes on the core subject too, and such a watcher must not take the
      // work-queue's one delivery away from the service that acknowledges it.
      if (durable.includes(subject) && !reachesEveryInstance(handler.extras)) {
        this.durableHandlers.set(wire, handler);
        continue;
      }
      if (reachesEveryInstance(handler.extras)) handler.extras = { ...handler.extras, queue: '' };
      this.messageHandlers.set(wire, handler);
    }
    super.start(callback);
  }

  /** Core subscriptions through Nest; durable events through a JetStream consumer of the queue group. */
  override bindEvents(nats: NatsConnection): void {
    this.nats = nats;
    super.bindEvents(nats);
    if (this.durableHandlers.size === 0) return;
    const stream = eventStream(nats, this.busOptions);
    for (const [subject, handler] of this.durableHandlers) {
      stream
        .consume(subject, this.busOptions.queue, (payload) => this.handleDurable(subject, handler, payload))
        .then(
          (stop) => this.stopConsumers.push(stop),
          (error: unknown) =>
            this.log.error({ msg: 'durable events not consumed', subject, error: String(error) }),
        );
    }
  }

  /**
   * A handler added once the server runs (a module's `onModuleInit` comes after the bus started, e.g.
   * poll's per-instance command subject) is subscribed at once; Nest's server would never subscribe it.
   */
  override addHandler(
    pattern: unknown,
    callback: MessageHandler,
    isEventHandler?: boolean,
    extras?: Record<string, unknown>,
  ): void {
    super.addHandler(pattern, callback, isEventHandler, extras);
    if (!this.nats) return;
    const subject = this.normalizePattern(pattern as MsPattern);
    const wire = wireSubject(this.busOptions.subjectPrefix, subject);
    this.messageHandlers.set(wire, this.messageHandlers.get(subject)!);
    this.messageHandlers.delete(subject);
    const queue = typeof extras?.['queue'] === 'string' ? extras['queue'] : this.busOptions.queue;
    const handle = this.getMessageHandler(wire) as (error: Error | null, message: Msg) => void;
    this.nats.subscribe(wire, { queue, callback: handle.bind(this) });
  }

  override async close(): Promise<void> {
    await Promise.all(this.stopConsumers.splice(0).map((stop) => stop()));
    this.nats = undefined;
    await super.close();
  }

  /** Runs the handler as Nest would (filters, interceptors); its failure leaves the event to be redelivered. */
  private async handleDurable(subject: string, handler: MessageHandler, payload: unknown): Promise<void> {
    const result: unknown = await handler(payload, new NatsContext([subject, undefined]));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }
}

/** Nest's NATS client, sending under the subject prefix; an unreachable NATS is a domain "unavailable". */
export class NatsBusClient extends ClientNats {
  constructor(private readonly busOptions: NatsBusOptions) {
    super(connection(busOptions));
    wireSubject(busOptions.subjectPrefix, 'check');
  }

  override async connect(): Promise<unknown> {
    try {
      return (await super.connect()) as unknown;
    } catch (error) {
      this.logger.error(error);
      throw new HostlinkError(ErrorCode.Unavailable, 'the message bus is not reachable');
    }
  }

  protected override normalizePattern(pattern: MsPattern): string {
    return wireSubject(this.busOptions.subjectPrefix, super.normalizePattern(pattern));
  }

  private events?: EventStream;

  /** A durable event goes to the JetStream stream (acknowledged by it), any other one to plain NATS. */
  protected override async dispatchEvent(packet: ReadPacket): Promise<unknown> {
    if (!durableSubjects(this.busOptions).includes(super.normalizePattern(packet.pattern as MsPattern)))
      return super.dispatchEvent(packet);
    const nats = (await this.connect()) as NatsConnection;
    this.events ??= eventStream(nats, this.busOptions);
    await this.events.publish(this.normalizePattern(packet.pattern as MsPattern), packet.data);
    return undefined;
  }

  /** Nest closes what it creates, not providers built by a factory: close the connection with the app. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
