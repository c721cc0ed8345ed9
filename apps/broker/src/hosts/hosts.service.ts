import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import { BusClient } from '@hostlink/bus';
import type { Host } from '@hostlink/persistence';
import { PRESENCE_STORE, type PresenceRecord, type PresenceStore } from '@hostlink/presence';
import {
  AgentCommandResult,
  ErrorCode,
  HostlinkError,
  type HostKeyResponse,
  type HostView,
  pollCommandSubject,
  type RemoveHostResponse,
} from '@hostlink/protocol';
import { CLOCK, type Clock } from '../broker.options.js';
import type { SessionContext } from '../sessions/session-context.js';
import { type ConnectTarget, HostRepository } from './host.repository.js';

/**
 * Who sees which host: an admin sees (and may connect to or remove) every host of the account, a member
 * only the hosts they enrolled. A host outside that set is `not_found`, never `forbidden`, so ids reveal
 * nothing.
 */
function visibleTo<H extends { accountId: string; ownerUserId: string }>(
  context: SessionContext,
  host: H | null | undefined,
): H {
  const visible =
    host &&
    host.accountId === context.accountId &&
    (context.role === 'admin' || host.ownerUserId === context.userId);
  if (!visible) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
  return host;
}

@Injectable()
export class HostsService {
  private readonly logger = new Logger('Hosts');

  constructor(
    private readonly hosts: HostRepository,
    private readonly bus: BusClient,
    private readonly audit: AuditRepository,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Raw rows and one presence read for the whole list: a thousand hosts are a thousand small objects. */
  async list(context: SessionContext): Promise<HostView[]> {
    const hosts = await this.hosts.list(
      context.accountId,
      context.role === 'admin' ? undefined : context.userId,
    );
    const presence = await this.presence.listing(hosts.map((host) => host.id));
    return hosts.map((host) => {
      const known = presence.get(host.id);
      return {
        id: host.id,
        name: host.name,
        os: host.os,
        online: known?.online === true,
        lastSeenAt: known?.online ? known.lastSeenAt : host.lastSeenAt,
        offlineReason: known && !known.online ? known.offline.reason : null,
        enrolledAt: host.enrolledAt,
      };
    });
  }

  async visibleHost(context: SessionContext, hostId: string): Promise<Host> {
    return visibleTo(context, await this.hosts.findById(hostId));
  }

  /** The host to connect to with its account's policy rules, in one query; `not_found` unless visible. */
  async connectTarget(context: SessionContext, hostId: string): Promise<ConnectTarget> {
    return visibleTo(context, await this.hosts.connectTarget(hostId));
  }

  /**
   * Deletes the host, then tells an online agent to go. Once the row is gone poll refuses the agent's
   * proof, so the command only makes that immediate: removal stands even when it cannot be delivered.
   */
  async remove(context: SessionContext, hostId: string): Promise<RemoveHostResponse> {
    const host = await this.visibleHost(context, hostId);
    await this.hosts.delete(host.id);
    const record = (await this.presence.get([host.id])).get(host.id);
    await this.audit.record({
      accountId: context.accountId,
      actor: `user:${context.userId}`,
      action: 'broker.host.remove',
      outcome: 'success',
      detail: { hostId: host.id, name: host.name, online: record !== undefined },
      at: this.clock(),
    });
    if (record) await this.revoke(host, record);
    return { removed: true };
  }

  /** For poll, checking an agent's proof of its static key. */
  async hostKey(hostId: string): Promise<HostKeyResponse> {
    const host = await this.hosts.findById(hostId);
    if (!host) throw new HostlinkError(ErrorCode.NotFound, 'no such host');
    return { hostId: host.id, accountId: host.accountId, publicKey: host.publicKey };
  }

  private async revoke(host: Host, record: PresenceRecord): Promise<void> {
    try {
      await this.bus.request(
        pollCommandSubject(record.pollId),
        { hostId: host.id, command: { type: 'revoke' } },
        AgentCommandResult,
      );
    } catch (error) {
      this.logger.warn(`could not tell the agent of removed host ${host.id} to go: ${String(error)}`);
    }
  }
}
