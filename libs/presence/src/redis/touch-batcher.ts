import DataLoader from 'dataloader';
import type { TouchResult } from '../presence.store.js';
import { hostHashKey, liveKey, type PresenceCommands } from './redis-presence.commands.js';

/** Touches per script call: about a millisecond of Redis's time, so that other clients are not held up. */
export const TOUCH_BATCH = 1000;

interface Touch {
  hostId: string;
  connectionId: string;
  ttlMs: number;
}

/**
 * Heartbeats read in one event-loop turn (the sockets poll read in one pass) go to Redis as one script
 * call that PEXPIREs every connection's live key, instead of one command each: that is what lets a
 * presence write cost Redis about what a pipelined SET EX costs. The few whose live key was gone are
 * then asked one by one whether another connection took the host (`replaced`) or nobody holds it (`lost`).
 * DataLoader (graphql's batching library, used here for writes: it is about batching, not about loading)
 * collects the calls and hands each its own answer.
 */
export class TouchBatcher {
  private readonly loader: DataLoader<Touch, TouchResult>;

  constructor(
    private readonly commands: PresenceCommands,
    private readonly keyPrefix: string,
  ) {
    this.loader = new DataLoader((touches) => this.send(touches), {
      // Two touches of one host in a turn are two heartbeats, each with its answer: nothing is cached.
      cache: false,
      maxBatchSize: TOUCH_BATCH,
      // After the I/O phase: every socket read in this turn has been handled, so they all share the call.
      batchScheduleFn: (send) => setImmediate(send),
    });
  }

  touch(hostId: string, connectionId: string, ttlMs: number): Promise<TouchResult> {
    return this.loader.load({ hostId, connectionId, ttlMs });
  }

  private async send(touches: readonly Touch[]): Promise<TouchResult[]> {
    const results = new Array<TouchResult>(touches.length).fill('held');
    // One TTL per script call; a poll instance uses one, so this is one group.
    const byTtl = new Map<number, number[]>();
    touches.forEach((touch, position) => {
      const group = byTtl.get(touch.ttlMs);
      if (group) group.push(position);
      else byTtl.set(touch.ttlMs, [position]);
    });
    await Promise.all([...byTtl].map(([ttlMs, group]) => this.sendGroup(touches, group, ttlMs, results)));
    return results;
  }

  /** Touches `group` (positions in `touches`) with one script call, then asks about the ones gone. */
  private async sendGroup(
    touches: readonly Touch[],
    group: number[],
    ttlMs: number,
    results: TouchResult[],
  ): Promise<void> {
    const keys = group.map((position) => {
      const { hostId, connectionId } = touches[position]!;
      return liveKey(this.keyPrefix, hostId, connectionId);
    });
    const gone = await this.commands.hostlinkPresenceTouchMany(keys.length, ...keys, ttlMs);
    await Promise.all(
      gone.map(async (index) => {
        const position = group[index - 1];
        if (position === undefined) throw new Error(`presence touch answered a position not asked: ${index}`);
        const { hostId, connectionId } = touches[position]!;
        results[position] = await this.commands.hostlinkPresenceTouchGone(
          hostHashKey(this.keyPrefix, hostId),
          connectionId,
        );
      }),
    );
  }
}
