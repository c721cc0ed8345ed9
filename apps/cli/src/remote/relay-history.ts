import { MAX_AVOIDED_RELAYS } from './reconnect-policy.js';

/**
 * The relays one command was offered, and those it lost a connection through: a new connection asks the
 * broker to avoid them (a relay killed mid-transfer stays in the brokers' directory until its reports
 * go stale).
 */
export class RelayHistory {
  private readonly failed: string[] = [];
  private lastOffered: string | undefined;

  get avoid(): readonly string[] {
    return this.failed;
  }

  offered(relayId: string | undefined): void {
    this.lastOffered = relayId;
  }

  /** The connection through the last offered relay was lost or never came up. */
  blameLastOffered(): void {
    const relayId = this.lastOffered;
    if (!relayId || this.failed.includes(relayId)) return;
    this.failed.push(relayId);
    if (this.failed.length > MAX_AVOIDED_RELAYS) this.failed.shift();
  }
}
