import type { WritePacket } from '@nestjs/microservices';

/** What a subscribed server does with one request or event (see InProcessServer). */
export interface InProcessSubscriber {
  request(pattern: string, data: unknown, respond: (packet: WritePacket) => void): void;
  event(pattern: string, data: unknown): Promise<void>;
  handles(pattern: string): boolean;
  /** Whether its handler for the subject is marked `EveryInstance`. */
  wantsEvery(pattern: string): boolean;
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

  /** Where an event goes: every subscriber that wants each one, plus one of the others. */
  eventTargets(pattern: string): InProcessSubscriber[] {
    const every = this.subscribers.filter((subscriber) => subscriber.wantsEvery(pattern));
    const shared = this.subscribers.filter(
      (subscriber) => subscriber.handles(pattern) && !subscriber.wantsEvery(pattern),
    );
    if (shared.length === 0) return every;
    this.turn = (this.turn + 1) % shared.length;
    return [...every, shared[this.turn]!];
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
