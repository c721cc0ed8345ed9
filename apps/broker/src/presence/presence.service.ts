import { Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import type { PresenceChanged } from '@hostlink/protocol';
import { HostRepository } from '../hosts/host.repository.js';

/**
 * Keeps `lastSeenAt` in the database (shown when the host is offline) and audits online/offline. Presence
 * events are durable and may arrive twice: `lastSeenAt` only moves forward and the audit entry is keyed by
 * the event id, so a second delivery changes nothing.
 */
@Injectable()
export class PresenceService {
  constructor(
    private readonly hosts: HostRepository,
    private readonly audit: AuditRepository,
  ) {}

  async changed(event: PresenceChanged): Promise<void> {
    const at = new Date(event.at);
    const host = await this.hosts.findById(event.hostId);
    if (!host) return;
    await this.hosts.touch(host.id, at);
    await this.audit.record({
      id: event.eventId,
      accountId: host.accountId,
      actor: `host:${host.id}`,
      action: event.online ? 'broker.host.online' : 'broker.host.offline',
      outcome: 'success',
      detail: { pollId: event.pollId, reason: event.reason ?? null },
      at,
    });
  }
}
