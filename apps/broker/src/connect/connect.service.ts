import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import { currentCorrelationId } from '@hostlink/observability';
import { PRESENCE_STORE, type PresenceRecord, type PresenceStore } from '@hostlink/presence';
import {
  AgentCommandResult,
  Audience,
  type ConnectOffer,
  type ConnectRequest,
  ErrorCode,
  HostlinkError,
  Lifetime,
  type Policy,
  pollCommandSubject,
  TokenKind,
} from '@hostlink/protocol';
import { BusClient } from '@hostlink/bus';
import { TokenSigner } from '@hostlink/token-keys';
import { CLOCK, type Clock, type ConfiguredRelay } from '../broker.options.js';
import type { ConnectTarget } from '../hosts/host.repository.js';
import { HostsService } from '../hosts/hosts.service.js';
import { accountPolicy } from '../policies/account-policy.js';
import type { SessionContext } from '../sessions/session-context.js';
import { RelayDirectory } from './relay.directory.js';

/**
 * Brokers a connection: ownership, presence and policy checks, then a grant for the host, relay tickets
 * for both legs, and the agent told (through the poll instance holding it) to open its leg.
 */
@Injectable()
export class ConnectService {
  private readonly logger = new Logger('Connect');

  constructor(
    private readonly hosts: HostsService,
    private readonly relays: RelayDirectory,
    private readonly tokens: TokenSigner,
    private readonly bus: BusClient,
    private readonly audit: AuditRepository,
    @Inject(PRESENCE_STORE) private readonly presence: PresenceStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async connect(context: SessionContext, request: ConnectRequest): Promise<ConnectOffer> {
    // Two independent reads side by side (the host with its account's policy is one query): each is a
    // round trip, and a connect is waited on by a person. Presence is only used once the host is known to
    // be visible to the caller.
    const [host, records] = await Promise.all([
      this.hosts.connectTarget(context, request.hostId),
      this.presence.get([request.hostId]),
    ]);
    const policy = accountPolicy(host.policyRules);
    const record = records.get(host.id);
    if (!record) throw new HostlinkError(ErrorCode.HostOffline, `${host.name} is offline`);
    const relay = policy.network === 'unrestricted' ? this.relays.pick(request.avoidRelayIds) : undefined;
    if (!relay && record.direct.length === 0) {
      const reason = policy.network === 'unrestricted' ? 'no-relay' : 'no-direct-candidates';
      await this.record(context, host, 'failure', { reason });
      throw unreachable(reason);
    }
    const grant = await this.grant(context, host, request.clientPublicKey, policy);
    // The connect is audited while the agent is told, not after: two round trips side by side. The reply
    // waits for both, so nothing is handed out that the log could lose.
    const [offered] = await Promise.all([
      relay ? this.openRelay(host, record, relay) : null,
      this.record(context, host, 'success', { relay: relay?.url ?? null, direct: record.direct.length }),
    ]);
    if (relay && !offered) {
      // Rare (the poll holding the agent just went away): the relay is withdrawn, and the log says so.
      await this.record(context, host, 'failure', { reason: 'agent-unreachable', relay: relay.url });
      if (record.direct.length === 0) throw unreachable('no-relay');
    }
    this.logger.log({ msg: 'connection brokered', hostId: host.id, relayId: offered?.id ?? null });
    return {
      hostId: host.id,
      hostPublicKey: host.publicKey,
      grant,
      relay: offered,
      direct: record.direct,
      policy,
    };
  }

  /** The connection grant the agent checks inside the channel: caller, client key, host, policy. */
  private grant(
    context: SessionContext,
    host: ConnectTarget,
    clientPublicKey: string,
    policy: Policy,
  ): Promise<string> {
    return this.tokens.sign(
      TokenKind.ConnectionGrant,
      Audience.grantFor(host.id),
      { sub: context.userId, cpk: clientPublicKey, hid: host.id, pol: policy },
      Lifetime.grantSeconds,
    );
  }

  /** Signs both legs' tickets for `relay` and has the agent open its leg; null when it cannot be told. */
  private async openRelay(
    host: ConnectTarget,
    record: PresenceRecord,
    relay: ConfiguredRelay,
  ): Promise<ConnectOffer['relay']> {
    const connectionId = randomUUID();
    // The connect request's id goes to poll and relay, so their log lines of this connection carry it.
    const correlationId = currentCorrelationId();
    const ticket = (role: 'client' | 'agent') =>
      this.tokens.sign(
        TokenKind.RelayTicket,
        Audience.ticketFor(relay.id),
        { cid: connectionId, role, corr: correlationId },
        Lifetime.ticketSeconds,
      );
    // Both legs' tickets at once; the client's is handed out only if the agent was told.
    const [agentTicket, clientTicket] = await Promise.all([ticket('agent'), ticket('client')]);
    const command = {
      hostId: host.id,
      correlationId,
      command: {
        type: 'open-relay' as const,
        connectionId,
        relayUrl: relay.url,
        relayTcpUrl: relay.tcpUrl,
        ticket: agentTicket,
      },
    };
    try {
      const { delivered } = await this.bus.request(
        pollCommandSubject(record.pollId),
        command,
        AgentCommandResult,
      );
      if (!delivered) return null;
    } catch (error) {
      this.logger.warn(`could not reach the agent of ${host.id} through ${record.pollId}: ${String(error)}`);
      return null;
    }
    return { id: relay.id, url: relay.url, tcpUrl: relay.tcpUrl, ticket: clientTicket };
  }

  private record(
    context: SessionContext,
    host: ConnectTarget,
    outcome: 'success' | 'failure',
    detail: Record<string, string | number | null>,
  ) {
    return this.audit.record({
      accountId: context.accountId,
      actor: `user:${context.userId}`,
      action: 'broker.host.connect',
      outcome,
      detail: { hostId: host.id, ...detail },
      at: this.clock(),
    });
  }
}

/** Why a visible, online host cannot be connected to: no path the policy allows is open. */
function unreachable(reason: 'no-relay' | 'no-direct-candidates'): HostlinkError {
  return reason === 'no-relay'
    ? new HostlinkError(ErrorCode.Unavailable, 'no relay is available and the host offers no direct address')
    : new HostlinkError(
        ErrorCode.PolicyDenied,
        'policy allows direct connections only and the host offers none',
      );
}
