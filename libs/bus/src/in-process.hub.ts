import type { WritePacket } from '@nestjs/microservices';

/** What a subscribed server does with one request or event (see InProcessServer). */
export interface InProcessSubscriber {
  request(pattern: string, data: unknown, respond: (packet: WritePacket) => void): void;
  event(pattern: string, data: unknown): Promise<void>;
  handles(pattern: string): boolean;
}

/**
 * The embedded mode's message bus: a process-wide hub that behaves like NATS with queue groups.
 * Each request or event goes to exactly one subscribed server that handles its subject, round robin,
 * and payloads cross it as JSON so that nothing works here that would not work over the wire.
 */
export class InProcessHub {
  private readonly subscribers: InProcessSubscriber[] = [];
  private turn = 0;

  subscribe(subscriber: InProcessSubscriber): () => void {
    this.subscribers.push(subscriber);
    return () => {
      const index = this.subscribers.indexOf(subscriber);
      if (index >= 0) this.subscribers.splice(index, 1);
    };
  }

  pick(pattern: string): InProcessSubscriber | undefined {
    const candidates = this.subscribers.filter((subscriber) => subscriber.handles(pattern));
    if (candidates.length === 0) return undefined;
    this.turn = (this.turn + 1) % candidates.length;
    return candidates[this.turn];
  }
}

export const wireCopy = <T>(value: T): T =>
  value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);

let processHub: InProcessHub | undefined;
/** The hub shared by every service of this process. */
export function processWideHub(): InProcessHub {
  processHub ??= new InProcessHub();
  return processHub;
}
