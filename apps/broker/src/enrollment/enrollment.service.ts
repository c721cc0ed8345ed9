import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditRepository } from '@hostlink/audit';
import type { EnrollmentToken, Host } from '@hostlink/persistence';
import {
  type EnrollmentResponse,
  ErrorCode,
  HostlinkError,
  Lifetime,
  OpaquePrefix,
  type RegisterHostRequest,
  type RegisterHostResponse,
} from '@hostlink/protocol';
import { hashOpaqueToken, KeyRing, newOpaqueToken } from '@hostlink/token-keys';
import { BROKER_OPTIONS, CLOCK, type Clock, type ResolvedBrokerOptions } from '../broker.options.js';
import { HostRepository } from '../hosts/host.repository.js';
import type { SessionContext } from '../sessions/session-context.js';
import { EnrollmentTokenRepository } from './enrollment-token.repository.js';

/** Enrollment tokens (one hour, single use) and the host registration that consumes them. */
@Injectable()
export class EnrollmentService {
  constructor(
    private readonly tokens: EnrollmentTokenRepository,
    private readonly hosts: HostRepository,
    private readonly keyRing: KeyRing,
    private readonly audit: AuditRepository,
    @Inject(BROKER_OPTIONS) private readonly options: ResolvedBrokerOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async createToken(context: SessionContext): Promise<EnrollmentResponse> {
    const token = newOpaqueToken(OpaquePrefix.Enrollment);
    const createdAt = this.clock();
    const expiresAt = new Date(createdAt.getTime() + Lifetime.enrollmentSeconds * 1000);
    await this.tokens.insert({
      tokenHash: hashOpaqueToken(token),
      accountId: context.accountId,
      userId: context.userId,
      createdAt,
      expiresAt,
    });
    await this.audit.record({
      accountId: context.accountId,
      actor: `user:${context.userId}`,
      action: 'broker.enrollment.create',
      outcome: 'success',
      detail: { expiresAt: expiresAt.toISOString() },
      at: createdAt,
    });
    return { token, expiresAt: expiresAt.toISOString() };
  }

  async register(request: RegisterHostRequest): Promise<RegisterHostResponse> {
    const at = this.clock();
    let host: Host;
    try {
      host = await this.consumeAndCreate(request, at);
    } catch (error) {
      if (error instanceof HostlinkError)
        await this.auditRegistration(null, 'failure', { code: error.code, name: request.name }, at);
      throw error;
    }
    await this.auditRegistration(host, 'success', { name: host.name, os: host.os }, at);
    return {
      hostId: host.id,
      accountId: host.accountId,
      brokerKeys: await this.keyRing.jwks(),
      pollUrl: this.options.publicPollUrl,
    };
  }

  /**
   * The token is consumed by one conditional UPDATE (no transaction: the embedded SQLite has a single
   * connection that TypeORM cannot share between concurrent transactions), and released again if the
   * host cannot be created, so a failed registration leaves the token usable.
   */
  private async consumeAndCreate(request: RegisterHostRequest, at: Date): Promise<Host> {
    if (!request.enrollmentToken.startsWith(OpaquePrefix.Enrollment))
      throw new HostlinkError(ErrorCode.TokenInvalid, 'not an enrollment token');
    const tokenHash = hashOpaqueToken(request.enrollmentToken);
    const token = await this.tokens.consume(tokenHash, at);
    if (!token) throw this.refusal(await this.tokens.findByHash(tokenHash));
    const host: Host = {
      id: randomUUID(),
      accountId: token.accountId,
      ownerUserId: token.userId,
      name: request.name,
      os: request.os,
      publicKey: request.publicKey,
      enrolledAt: at,
      lastSeenAt: null,
    };
    try {
      await this.hosts.insert(host);
    } catch (error) {
      await this.tokens.release(tokenHash, at);
      throw error;
    }
    return host;
  }

  private refusal(token: EnrollmentToken | null): HostlinkError {
    if (!token) return new HostlinkError(ErrorCode.TokenInvalid, 'unknown enrollment token');
    if (token.usedAt)
      return new HostlinkError(ErrorCode.TokenReused, 'this enrollment token was already used');
    return new HostlinkError(ErrorCode.TokenExpired, 'this enrollment token has expired; create a new one');
  }

  private auditRegistration(
    host: Host | null,
    outcome: 'success' | 'failure',
    detail: Record<string, string>,
    at: Date,
  ) {
    return this.audit.record({
      accountId: host?.accountId ?? null,
      actor: host ? `host:${host.id}` : 'agent',
      action: 'broker.host.register',
      outcome,
      detail,
      at,
    });
  }
}
