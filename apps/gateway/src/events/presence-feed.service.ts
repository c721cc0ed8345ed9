import { Injectable } from '@nestjs/common';
import type { PresenceChanged } from '@hostlink/protocol';

export type PresenceListener = (event: PresenceChanged) => void;

/**
 * Fans the bus's presence changes out to the browsers watching those hosts. Each open events socket
 * registers for the host ids its session may see; events for other hosts reach nobody.
 */
@Injectable()
export class PresenceFeedService {
  private readonly watchers = new Map<string, Set<PresenceListener>>();

  watch(hostIds: readonly string[], listener: PresenceListener): () => void {
    for (const hostId of hostIds) {
      const set = this.watchers.get(hostId) ?? new Set<PresenceListener>();
      set.add(listener);
      this.watchers.set(hostId, set);
    }
    return () => {
      for (const hostId of hostIds) {
        const set = this.watchers.get(hostId);
        set?.delete(listener);
        if (set?.size === 0) this.watchers.delete(hostId);
      }
    };
  }

  publish(event: PresenceChanged): void {
    for (const listener of this.watchers.get(event.hostId) ?? []) listener(event);
  }

  get watchedHosts(): number {
    return this.watchers.size;
  }
}
