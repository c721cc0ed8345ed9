import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';

/** One request as the gateway's Nest client sends it: `{pattern, data, id}` as JSON; the reply alike. */
export class NestRpc {
  private constructor(
    private readonly nats: NatsConnection,
    private readonly subjectPrefix: string,
  ) {}

  static async connect(url: string, subjectPrefix: string): Promise<NestRpc> {
    return new NestRpc(await connect({ servers: url }), subjectPrefix);
  }

  /** The wire subject under the run's prefix. */
  wire(subject: string): string {
    return `${this.subjectPrefix}.${subject}`;
  }

  /** Sends and waits for the reply; a reply carrying `err` is thrown with its content. */
  async request(subject: string, data: object, timeoutMs = 5_000): Promise<unknown> {
    const wire = this.wire(subject);
    const body = JSON.stringify({ pattern: wire, data, id: randomUUID() });
    const reply = await this.nats.request(wire, body, { timeout: timeoutMs });
    const packet = reply.json<{ response?: unknown; err?: unknown }>();
    if (packet.err !== undefined && packet.err !== null)
      throw new Error(`${subject} failed: ${JSON.stringify(packet.err)}`);
    return packet.response;
  }

  /** A plain request/reply round trip with the same body, to a bare responder's subject. */
  async raw(subject: string, data: object, timeoutMs = 5_000): Promise<void> {
    const body = JSON.stringify({ pattern: subject, data, id: randomUUID() });
    await this.nats.request(subject, body, { timeout: timeoutMs });
  }

  get connection(): NatsConnection {
    return this.nats;
  }

  close(): Promise<void> {
    return this.nats.close();
  }
}

/** Milliseconds of each of `count` calls, `concurrency` in flight at a time (1: one after the other). */
export async function timeCalls(
  call: () => Promise<unknown>,
  options: { count: number; concurrency: number },
): Promise<number[]> {
  const durations: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started < options.count) {
      started += 1;
      const at = performance.now();
      await call();
      durations.push(performance.now() - at);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return durations;
}
