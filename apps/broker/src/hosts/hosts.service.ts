import { Inject, Injectable } from '@nestjs/common';
import type { Host } from '@hostlink/persistence';
import { PRESENCE_STORE, type PresenceStore } from '@hostlink/presence';
import { ErrorCode, HostlinkError, type HostKeyResponse, type HostView } from '@hostlink/protocol';
import type { SessionContext } from '../sessions/session-context.js';
import { HostRepository } from './host.repository.js';

/**
 * Who sees which host: an admin sees (and may connect to) every host of the account, a member only the
 * hosts they enrolled. A host outside that set is `not_found`, never `forbidden`, so ids reveal nothing.
 */
@Injectable()
export class HostsService {
  constructor(
    private readonly hosts: HostRepository,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
  ) {}

  async list(context: SessionContext): Promise<HostView[]> {
    const hosts = await this.hosts.list(
      context.accountId,
      context.role === 'admin' ? undefined : context.userId,
    );
    const online = await this.presence.get(hosts.map((host) => host.id));
    return hosts.map((host) => {
      const record = online.get(host.id);
      const lastSeenAt = record?.lastSeenAt ?? host.lastSeenAt?.toISOString() ?? null;
      return {
        id: host.id,
        name: host.name,
        os: host.os,
        online: record !== undefined,
        lastSeenAt,
        enrolledAt: host.enrolledAt.toISOString(),
      };
    });
  }

  async visibleHost(context: SessionContext, hostId: string): Promise<Host> {
    const host = await this.hosts.findById(hostId);
    const visible =
      host &&
      host.accountId === context.accountId &&
      (context.role === 'admin' || host.ownerUserId === context.userId);
    if (!visible) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    return host;
  }

  /** For poll, checking an agent's proof of its static key. */
  async hostKey(hostId: string): Promise<HostKeyResponse> {
    const host = await this.hosts.findById(hostId);
    if (!host) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    return { hostId: host.id, accountId: host.accountId, publicKey: host.publicKey };
  }
}
