import { ClientProxy, type MsPattern, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { ErrorCode } from '@hostlink/protocol';
import type { InProcessHub } from './in-process.hub.js';

/** Nest client for the embedded mode: sends requests and events through the hub. */
export class InProcessClient extends ClientProxy {
  constructor(private readonly hub: InProcessHub) {
    super();
  }

  connect(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    // Nothing to release: the hub lives as long as the process.
  }

  unwrap<T>(): T {
    return this.hub as T;
  }

  protected publish(packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    const pattern = this.normalizePattern(packet.pattern as MsPattern);
    const subscriber = this.hub.pick(pattern);
    if (!subscriber) {
      callback({
        err: { code: ErrorCode.Unavailable, message: `no service answers ${pattern}` },
        isDisposed: true,
      });
      return () => undefined;
    }
    let live = true;
    subscriber.request(pattern, packet.data, (reply) => {
      if (live) callback(reply);
    });
    return () => {
      live = false;
    };
  }

  protected async dispatchEvent<T = undefined>(packet: ReadPacket): Promise<T> {
    const pattern = this.normalizePattern(packet.pattern as MsPattern);
    await Promise.all(
      this.hub.eventTargets(pattern).map((subscriber) => subscriber.event(pattern, packet.data)),
    );
    return undefined as T;
  }
}
