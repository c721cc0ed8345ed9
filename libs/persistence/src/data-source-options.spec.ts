import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  allEntities,
  allMigrations,
  authEntities,
  brokerEntities,
  dataSourceOptions,
} from './data-source-options.js';
import { Account } from './entities/account.entity.js';
import { EnrollmentToken } from './entities/enrollment-token.entity.js';
import { Host } from './entities/host.entity.js';
import { RefreshFamily } from './entities/refresh-family.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { spendTokenQuery } from './single-use-token.js';

const now = new Date('2030-01-02T03:04:05.678Z');
const account = (): Account =>
  Object.assign(new Account(), { id: randomUUID(), name: 'acme', createdAt: now });
const user = (accountId: string, email: string): User =>
  Object.assign(new User(), { id: randomUUID(), accountId, email, role: 'member', createdAt: now });
const host = (accountId: string, ownerUserId: string, publicKey: string): Host =>
  Object.assign(new Host(), {
    id: randomUUID(),
    accountId,
    ownerUserId,
    name: 'pc',
    os: 'linux',
    publicKey,
    enrolledAt: now,
    lastSeenAt: null,
  });
const isUniqueViolation = (error: unknown) =>
  error instanceof QueryFailedError && /UNIQUE/i.test(error.message);

describe('persistence on a fresh SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-persistence-'));
  const dataSource = new DataSource(
    dataSourceOptions({ kind: 'sqlite', file: join(dir, 'hostlink.sqlite') }),
  );

  before(() => dataSource.initialize());
  after(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs every migration at start and leaves nothing for the entities to change', async () => {
    const ran = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    assert.deepEqual(
      ran.map((row) => row.name),
      allMigrations().map((migration) => migration.name),
    );
    const pending = await dataSource.driver.createSchemaBuilder().log();
    assert.deepEqual(
      pending.upQueries.map((query) => query.query),
      [],
    );
  });

  test('an email is unique within an account but may exist in another one', async () => {
    const [a, b] = [account(), account()];
    await dataSource.getRepository(Account).insert([a, b]);
    await dataSource.getRepository(User).insert(user(a.id, 'ann@example.com'));
    await dataSource.getRepository(User).insert(user(b.id, 'ann@example.com'));
    await assert.rejects(
      dataSource.getRepository(User).insert(user(a.id, 'ann@example.com')),
      isUniqueViolation,
    );
  });

  test('a host public key is registered once', async () => {
    const a = account();
    const owner = user(a.id, 'owner@example.com');
    await dataSource.getRepository(Account).insert(a);
    await dataSource.getRepository(User).insert(owner);
    const key = 'A'.repeat(43);
    await dataSource.getRepository(Host).insert(host(a.id, owner.id, key));
    await assert.rejects(dataSource.getRepository(Host).insert(host(a.id, owner.id, key)), isUniqueViolation);
  });

  test('a refresh token hash is unique, needs its family, and times round-trip exactly', async () => {
    const a = account();
    const owner = user(a.id, 'tok@example.com');
    await dataSource.getRepository(Account).insert(a);
    await dataSource.getRepository(User).insert(owner);
    const family = Object.assign(new RefreshFamily(), {
      id: randomUUID(),
      userId: owner.id,
      createdAt: now,
      revokedAt: null,
      revokedReason: null,
    });
    await dataSource.getRepository(RefreshFamily).insert(family);
    const token = (familyId: string) =>
      Object.assign(new RefreshToken(), {
        id: randomUUID(),
        tokenHash: 'h1',
        familyId,
        userId: owner.id,
        issuedAt: now,
        expiresAt: now,
        usedAt: null,
      });
    await dataSource.getRepository(RefreshToken).insert(token(family.id));
    await assert.rejects(dataSource.getRepository(RefreshToken).insert(token(family.id)), isUniqueViolation);
    await assert.rejects(
      dataSource.getRepository(RefreshToken).insert({ ...token(randomUUID()), tokenHash: 'h2' }),
      /FOREIGN KEY/,
    );
    const stored = await dataSource.getRepository(RefreshToken).findOneByOrFail({ tokenHash: 'h1' });
    assert.equal(stored.issuedAt.toISOString(), now.toISOString());
    assert.equal(stored.usedAt, null);
  });

  test('a single-use token is spent by exactly one of concurrent uses, and never once expired', async () => {
    const a = account();
    const owner = user(a.id, 'enroll@example.com');
    await dataSource.getRepository(Account).insert(a);
    await dataSource.getRepository(User).insert(owner);
    const tokens = dataSource.getRepository(EnrollmentToken);
    const later = new Date(now.getTime() + 60_000);
    for (const tokenHash of ['fresh', 'stale'])
      await tokens.insert({
        id: randomUUID(),
        tokenHash,
        accountId: a.id,
        userId: owner.id,
        createdAt: now,
        expiresAt: later,
        usedAt: null,
      });
    const spend = async (tokenHash: string, at: Date) =>
      (await spendTokenQuery(tokens, tokenHash, at).execute()).affected;
    assert.deepEqual((await Promise.all([spend('fresh', now), spend('fresh', now)])).sort(), [0, 1]);
    assert.equal(
      (await tokens.findOneByOrFail({ tokenHash: 'fresh' })).usedAt?.toISOString(),
      now.toISOString(),
    );
    assert.equal(await spend('stale', later), 0, 'expired at exactly expires_at');
    assert.equal(await spend('unknown', now), 0);
  });
});

test('options never synchronize, always migrate, and list classes rather than globs', () => {
  for (const target of [
    { kind: 'sqlite', file: ':memory:' },
    { kind: 'postgres', url: 'postgres://db/hostlink', schema: 'hl' },
  ] as const) {
    const options = dataSourceOptions(target);
    assert.equal(options.synchronize, false);
    assert.equal(options.migrationsRun, true);
    assert.ok(
      Array.isArray(options.entities) && options.entities.every((entity) => typeof entity === 'function'),
    );
  }
  assert.equal(
    dataSourceOptions({ kind: 'postgres', url: 'postgres://db/x', schema: 'hl' }).type,
    'postgres',
  );
  assert.deepEqual(new Set(allEntities()), new Set([...authEntities(), ...brokerEntities()]));
});
