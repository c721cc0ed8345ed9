import { ClientNats, type MsPattern, ServerNats } from '@nestjs/microservices';
import { ErrorCode, HostlinkError } from '@hostlink/protocol';

/** What a service needs to reach NATS; `queue` is the service's queue group (protocol `QueueGroup`). */
export interface NatsBusOptions {
  kind: 'nats';
  servers: string | string[];
  queue: string;
  /** Puts every subject under `<prefix>.`, so that several deployments or test runs share one NATS. */
  subjectPrefix?: string;
  requestTimeoutMs?: number;
}

const SUBJECT_TOKENS = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Returns the subject as seen on the wire; refuses a prefix that would add wildcards or empty tokens. */
export function wireSubject(subjectPrefix: string | undefined, subject: string): string {
  if (subjectPrefix === undefined) return subject;
  if (!SUBJECT_TOKENS.test(subjectPrefix)) throw new Error(`invalid NATS subject prefix "${subjectPrefix}"`);
  return `${subjectPrefix}.${subject}`;
}

// A service keeps retrying a NATS that restarts, instead of giving up after the client's default 10 tries.
const connection = (options: NatsBusOptions) => ({ servers: options.servers, maxReconnectAttempts: -1 });

/**
 * Nest's NATS server, every handler subscribed under the subject prefix and in the service's queue group,
 * so that instances of one service share its requests and its events (each goes to one instance).
 *
 * Nest subscribes each handler to the key it is registered under and never lets a pattern be mapped,
 * so the keys are renamed once connected, just before Nest subscribes (handlers added later would not
 * be subscribed by Nest's NATS server anyway).
 */
export class NatsBusServer extends ServerNats {
  constructor(private readonly busOptions: NatsBusOptions) {
    super({ ...connection(busOptions), queue: busOptions.queue });
    wireSubject(busOptions.subjectPrefix, 'check');
  }

  override start(callback: (err?: unknown, ...optionalParams: unknown[]) => void): void {
    for (const [subject, handler] of [...this.messageHandlers]) {
      this.messageHandlers.delete(subject);
      this.messageHandlers.set(wireSubject(this.busOptions.subjectPrefix, subject), handler);
    }
    super.start(callback);
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

  /** Nest closes what it creates, not providers built by a factory: close the connection with the app. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
