import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  type JetStreamClient,
  jetstreamManager,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

/** Handles one durable event; a rejection has it delivered again later. */
export type DurableHandler = (payload: unknown) => Promise<void>;

const KEEP_MS = 24 * 3600 * 1000;
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
const ACK_WAIT_MS = 30_000;
const RETRY_DELAY_MS = 1000;
const MAX_DELIVERIES = 20;

/**
 * The JetStream stream that keeps a deployment's durable events (one per subject prefix) until a consumer
 * group acknowledges them: work-queue retention, so each event is handled by one instance of the group and
 * then removed. A publisher names the event by its `eventId` (the stream drops a re-published one within
 * two minutes); consumers are idempotent on it because a crash before the ack delivers it again.
 */
export class EventStream {
  readonly name: string;
  private manager?: Promise<JetStreamManager>;
  private ready?: Promise<void>;
  private readonly client: JetStreamClient;

  constructor(
    private readonly connection: NatsConnection,
    private readonly subjects: readonly string[],
    subjectPrefix: string | undefined,
  ) {
    // Stream names allow neither dots nor wildcards; a subject prefix has only the dots to replace.
    this.name = `${(subjectPrefix ?? 'hostlink').replace(/\./g, '_')}-events`;
    this.client = jetstream(connection);
  }

  async publish(subject: string, payload: unknown): Promise<void> {
    await this.ensure();
    const eventId = (payload as { eventId?: unknown } | null)?.eventId;
    await this.client.publish(subject, JSON.stringify(payload), {
      ...(typeof eventId === 'string' && { msgID: eventId }),
    });
  }

  /** Consumes `subject` as `group` (a durable consumer shared by the group's instances) until stopped. */
  async consume(subject: string, group: string, handle: DurableHandler): Promise<() => Promise<void>> {
    await this.ensure();
    const durable = `${group}-${subject.replace(/\./g, '_')}`;
    await (
      await this.jsm()
    ).consumers.add(this.name, {
      durable_name: durable,
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: MAX_DELIVERIES,
    });
    const messages = await (await this.client.consumers.get(this.name, durable)).consume();
    const done = (async () => {
      for await (const message of messages) {
        try {
          await handle(JSON.parse(message.string()) as unknown);
          message.ack();
        } catch {
          message.nak(RETRY_DELAY_MS);
        }
      }
    })();
    return async () => {
      await messages.close();
      await done;
    };
  }

  /** Removes the stream and what it keeps (test runs clean up after themselves). */
  async delete(): Promise<void> {
    await (await this.jsm()).streams.delete(this.name).catch(() => false);
  }

  private ensure(): Promise<void> {
    this.ready ??= this.createStream().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async createStream(): Promise<void> {
    const jsm = await this.jsm();
    const config = {
      name: this.name,
      subjects: [...this.subjects],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      max_age: nanos(KEEP_MS),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    // Adding an identical stream is a no-op; another version of the code may have listed other subjects.
    await jsm.streams.add(config).catch(() => jsm.streams.update(this.name, config));
  }

  private jsm(): Promise<JetStreamManager> {
    this.manager ??= jetstreamManager(this.connection);
    return this.manager;
  }
}
