import { Injectable } from '@nestjs/common';
import { HostlinkMetrics } from '@hostlink/observability';
import type { AgentConnection } from './agent-connection.js';

/**
 * The agent connections this poll instance holds, by host. Local by nature: they are sockets. Their number
 * is the connected-agents gauge.
 */
@Injectable()
export class AgentRegistry {
  private readonly byHost = new Map<string, AgentConnection>();

  constructor(private readonly metrics: HostlinkMetrics) {}

  get(hostId: string): AgentConnection | undefined {
    return this.byHost.get(hostId);
  }

  /** Makes `connection` the holder of its host; returns the one it displaced, if any. */
  hold(hostId: string, connection: AgentConnection): AgentConnection | undefined {
    const previous = this.byHost.get(hostId);
    this.byHost.set(hostId, connection);
    this.metrics.agentsConnected.set(this.byHost.size);
    return previous === connection ? undefined : previous;
  }

  release(hostId: string, connection: AgentConnection): void {
    if (this.byHost.get(hostId) === connection) this.byHost.delete(hostId);
    this.metrics.agentsConnected.set(this.byHost.size);
  }

  all(): AgentConnection[] {
    return [...this.byHost.values()];
  }

  /** Every connection held, without copying them into an array (a sweep over all of them does this). */
  values(): IterableIterator<AgentConnection> {
    return this.byHost.values();
  }
}
