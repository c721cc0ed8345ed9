import {
  BaseRpcContext,
  type CustomTransportStrategy,
  Server,
  type WritePacket,
} from '@nestjs/microservices';
import { ErrorCode } from '@hostlink/protocol';
import { reachesEveryInstance } from './delivery.js';
import { type InProcessHub, type InProcessSubscriber, wireCopy } from './in-process.hub.js';

/** Nest transport strategy for the embedded mode: serves @MessagePattern/@EventPattern handlers from the hub. */
export class InProcessServer extends Server implements CustomTransportStrategy, InProcessSubscriber {
  private unsubscribe?: () => void;

  constructor(private readonly hub: InProcessHub) {
    super();
  }

  listen(callback: () => void): void {
    this.unsubscribe = this.hub.subscribe(this);
    callback();
  }

  close(): void {
    this.unsubscribe?.();
  }

  handles(pattern: string): boolean {
    return this.getHandlerByPattern(pattern) !== null;
  }

  wantsEvery(pattern: string): boolean {
    return reachesEveryInstance(this.getHandlerByPattern(pattern)?.extras);
  }

  request(pattern: string, data: unknown, respond: (packet: WritePacket) => void): void {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) {
      respond({
        err: { code: ErrorCode.Unavailable, message: `no handler for ${pattern}` },
        isDisposed: true,
      });
      return;
    }
    const context = new BaseRpcContext([pattern]);
    const reply = (packet: WritePacket) => respond(wireCopy(packet));
    Promise.resolve(handler(wireCopy(data), context))
      .then((result) => this.send(this.transformToObservable(result), reply))
      .catch((error: unknown) => reply({ err: error, isDisposed: true }));
  }

  async event(pattern: string, data: unknown): Promise<void> {
    await this.handleEvent(pattern, { pattern, data: wireCopy(data) }, new BaseRpcContext([pattern]));
  }

  on(): void {
    // The hub has no connection events to listen to.
  }

  unwrap<T>(): T {
    return this.hub as T;
  }
}
