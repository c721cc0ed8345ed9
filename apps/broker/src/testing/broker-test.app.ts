import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusClient, BusModule } from '@hostlink/bus';
import { Account, dataSourceOptions, User } from '@hostlink/persistence';
import {
  type ListedPresence,
  type OfflineNote,
  PRESENCE_STORE,
  type PresenceRecord,
  type PresenceStore,
  type RestoreResult,
  type TouchResult,
} from '@hostlink/presence';
import {
  type AgentCommand,
  Audience,
  type Jwks,
  pollCommandSubject,
  Subject,
  TokenKind,
} from '@hostlink/protocol';
import { TestClock } from '@hostlink/testing';
import { KeyRing } from '@hostlink/token-keys';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { BrokerModule } from '../broker.module.js';

export const AUTH_ISSUER = 'http://auth.test';
export const BROKER_ISSUER = 'http://broker.test';
export const POLL_ID = 'poll-test';

/** In-memory presence good enough for the broker's reads. */
export class FakePresence implements PresenceStore {
  readonly records = new Map<string, PresenceRecord>();
  markOnline(record: PresenceRecord): Promise<PresenceRecord | undefined> {
    const previous = this.records.get(record.hostId);
    this.records.set(record.hostId, record);
    return Promise.resolve(previous);
  }
  touch(): Promise<TouchResult> {
    return Promise.resolve('held');
  }
  restore(): Promise<RestoreResult> {
    return Promise.resolve('restored');
  }
  lastOffline(): Promise<Map<string, OfflineNote>> {
    return Promise.resolve(new Map<string, OfflineNote>());
  }
  listing(hostIds: readonly string[]): Promise<Map<string, ListedPresence>> {
    const listed = new Map<string, ListedPresence>();
    for (const id of hostIds) {
      const record = this.records.get(id);
      if (record) listed.set(id, { online: true, lastSeenAt: record.lastSeenAt });
    }
    return Promise.resolve(listed);
  }
  markOffline(hostId: string): Promise<boolean> {
    return Promise.resolve(this.records.delete(hostId));
  }
  get(hostIds: readonly string[]): Promise<Map<string, PresenceRecord>> {
    return Promise.resolve(
      new Map(hostIds.flatMap((id) => (this.records.has(id) ? [[id, this.records.get(id)!] as const] : []))),
    );
  }
}

/** Plays auth (its JWKS) and poll (agent commands) on the bus, with a key the test signs access tokens with. */
export async function fakeAuthAndPoll() {
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const jwks: Jwks = { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }] };
  const commands: AgentCommand[] = [];
  @Controller()
  class FakeAuthAndPoll {
    @MessagePattern(Subject.authJwks)
    jwks(): Jwks {
      return jwks;
    }
    @MessagePattern(pollCommandSubject(POLL_ID))
    command(@Payload() command: AgentCommand) {
      commands.push(command);
      return { delivered: true };
    }
  }
  return { controller: FakeAuthAndPoll, publicKey, privateKey, kid, commands };
}

export interface Identity {
  userId: string;
  accountId: string;
  email: string;
  role: 'admin' | 'member';
}

export async function startBrokerTestApp(relays = [{ id: 'relay-a', url: 'ws://relay-a.test/relay' }]) {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-broker-'));
  const clock = new TestClock();
  const presence = new FakePresence();
  const fake = await fakeAuthAndPoll();
  @Global()
  @Module({ providers: [{ provide: PRESENCE_STORE, useValue: presence }], exports: [PRESENCE_STORE] })
  class PresenceTestModule {}
  @Module({ controllers: [fake.controller] })
  class FakesModule {}
  class BrokerTestModule {}
  const app = await NestFactory.createMicroservice(
    {
      module: BrokerTestModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions({ kind: 'sqlite', file: join(dir, 'broker.sqlite') })),
        BusModule.forRoot({ kind: 'in-process' }),
        PresenceTestModule,
        FakesModule,
        BrokerModule.forRoot({
          issuer: BROKER_ISSUER,
          authIssuer: AUTH_ISSUER,
          publicPollUrl: 'ws://poll.test/agent',
          relays,
          clock: clock.now,
        }),
      ],
    },
    { ...BusModule.transportFor({ kind: 'in-process' }), logger: false },
  );
  await app.listen();
  const dataSource = app.get(DataSource);

  /** A user in the database (the broker reads them; auth would have created them). */
  const createUser = async (role: Identity['role'], accountId: string = randomUUID()): Promise<Identity> => {
    if (!(await dataSource.getRepository(Account).existsBy({ id: accountId }))) {
      await dataSource.getRepository(Account).insert({ id: accountId, name: 'test', createdAt: clock.now() });
    }
    const identity: Identity = {
      userId: randomUUID(),
      accountId,
      email: `${randomUUID()}@example.com`,
      role,
    };
    await dataSource
      .getRepository(User)
      .insert({ id: identity.userId, accountId, email: identity.email, role, createdAt: clock.now() });
    return identity;
  };

  /** An access token as auth issues it, with overrides for attacks. */
  const accessToken = (identity: Identity, header: Record<string, unknown> = {}, claims: JWTPayload = {}) => {
    const now = Math.floor(clock.now().getTime() / 1000);
    const payload: JWTPayload = {
      iss: AUTH_ISSUER,
      aud: Audience.Access,
      sub: identity.userId,
      iat: now,
      exp: now + 300,
      jti: randomUUID(),
      acc: identity.accountId,
      email: identity.email,
      role: identity.role,
      ...claims,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'EdDSA', typ: TokenKind.Access, kid: fake.kid, ...header })
      .sign(fake.privateKey);
  };

  return {
    bus: app.get(BusClient),
    dataSource,
    clock,
    keyRing: app.get(KeyRing),
    presence,
    fake,
    createUser,
    accessToken,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type BrokerTestApp = Awaited<ReturnType<typeof startBrokerTestApp>>;
