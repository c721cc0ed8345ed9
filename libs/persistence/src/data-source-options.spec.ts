import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DataSource, QueryFailedError } from 'typeorm';
import {
  allEntities,
  allMigrations,
  authEntities,
  brokerEntities,
  dataSourceOptions,
  postgresConnectTimeoutMs,
} from './data-source-options.js';
import { Account } from './entities/account.entity.js';
import { EnrollmentToken } from './entities/enrollment-token.entity.js';
import { Host } from './entities/host.entity.js';
import { RefreshFamily } from './entities/refresh-family.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { User } from './entities/user.entity.js';
import { spendTokenQuery } from './single-use-token.js';
import {
  createTestDatabase,
  type DatabaseKind,
  databaseKinds,
  openTestDataSource,
} from './testing/test-database.js';

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
const violates = (constraint: 'unique' | 'foreign key') => (error: unknown) =>
  error instanceof QueryFailedError && new RegExp(constraint, 'i').test(error.message);
const migrationNames = () => allMigrations().map((migration) => migration.name);

/** What the schema builder would still change to match the entities: nothing after the migrations. */
async function drift(dataSource: DataSource): Promise<string[]> {
  const pending = await dataSource.driver.createSchemaBuilder().log();
  return pending.upQueries.map((query) => query.query);
}

/** One suite, run as is on every database the services may use. */
function persistenceSuite(kind: DatabaseKind) {
  describe(`persistence on a fresh ${kind} database`, () => {
    let dataSource: DataSource;
    let close: (() => Promise<void>) | undefined;
    const insertOwner = async (email: string) => {
      const a = account();
      const owner = user(a.id, email);
      await dataSource.getRepository(Account).insert(a);
      await dataSource.getRepository(User).insert(owner);
      return { accountId: a.id, userId: owner.id };
    };

    before(async () => ({ dataSource, close } = await openTestDataSource(kind)));
    after(() => close?.());

    test('runs every migration at start and leaves nothing for the entities to change', async () => {
      const ran = await dataSource.query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
      assert.deepEqual(
        ran.map((row) => row.name),
        migrationNames(),
      );
      assert.deepEqual(await drift(dataSource), []);
    });

    test('every migration reverts, and they apply again to the same schema', async () => {
      for (let left = allMigrations().length; left > 0; left--) await dataSource.undoLastMigration();
      const runner = dataSource.createQueryRunner();
      try {
        assert.deepEqual(
          await runner.getTables(allEntities().map((entity) => dataSource.getMetadata(entity).tablePath)),
          [],
        );
      } finally {
        await runner.release();
      }
      const applied = await dataSource.runMigrations();
      assert.deepEqual(
        applied.map((migration) => migration.name),
        migrationNames(),
      );
      assert.deepEqual(await drift(dataSource), []);
    });

    test('an email is unique within an account but may exist in another one', async () => {
      const [a, b] = [account(), account()];
      await dataSource.getRepository(Account).insert([a, b]);
      await dataSource.getRepository(User).insert(user(a.id, 'ann@example.com'));
      await dataSource.getRepository(User).insert(user(b.id, 'ann@example.com'));
      await assert.rejects(
        dataSource.getRepository(User).insert(user(a.id, 'ann@example.com')),
        violates('unique'),
      );
    });

    test('a host public key is registered once, and a host name once per account', async () => {
      const { accountId, userId } = await insertOwner('owner@example.com');
      const hosts = dataSource.getRepository(Host);
      await hosts.insert({ ...host(accountId, userId, 'A'.repeat(43)), name: 'pc' });
      await assert.rejects(
        hosts.insert({ ...host(accountId, userId, 'A'.repeat(43)), name: 'laptop' }),
        violates('unique'),
      );
      await assert.rejects(
        hosts.insert({ ...host(accountId, userId, 'B'.repeat(43)), name: 'pc' }),
        violates('unique'),
      );
    });

    test('deleting an account deletes what belongs to it', async () => {
      const { accountId, userId } = await insertOwner('gone@example.com');
      await dataSource.getRepository(Host).insert(host(accountId, userId, 'C'.repeat(43)));
      await dataSource.getRepository(Account).delete({ id: accountId });
      assert.equal(await dataSource.getRepository(User).countBy({ id: userId }), 0);
      assert.equal(await dataSource.getRepository(Host).countBy({ accountId }), 0);
    });

    test('a refresh token hash is unique, needs its family, and times round-trip exactly', async () => {
      const { userId } = await insertOwner('tok@example.com');
      const family = Object.assign(new RefreshFamily(), {
        id: randomUUID(),
        userId,
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
          userId,
          issuedAt: now,
          expiresAt: now,
          usedAt: null,
        });
      const tokens = dataSource.getRepository(RefreshToken);
      await tokens.insert(token(family.id));
      await assert.rejects(tokens.insert(token(family.id)), violates('unique'));
      await assert.rejects(
        tokens.insert({ ...token(randomUUID()), tokenHash: 'h2' }),
        violates('foreign key'),
      );
      const stored = await tokens.findOneByOrFail({ tokenHash: 'h1' });
      assert.equal(stored.issuedAt.toISOString(), now.toISOString());
      assert.equal(stored.usedAt, null);
    });

    test('a single-use token is spent by exactly one of concurrent callers, and never once expired', async () => {
      const { accountId, userId } = await insertOwner('enroll@example.com');
      const tokens = dataSource.getRepository(EnrollmentToken);
      // 09.999 → 10.000 changes several digits at once: the text comparison must still be time order.
      const expiresAt = new Date('2030-01-02T03:04:10.000Z');
      const justBefore = new Date(expiresAt.getTime() - 1);
      for (const tokenHash of ['fresh', 'edge', 'stale'])
        await tokens.insert({
          id: randomUUID(),
          tokenHash,
          accountId,
          userId,
          createdAt: now,
          expiresAt,
          usedAt: null,
        });
      const spend = async (tokenHash: string, at: Date) =>
        (await spendTokenQuery(tokens, tokenHash, at).execute()).affected;
      const callers = await Promise.all(Array.from({ length: 8 }, () => spend('fresh', now)));
      assert.deepEqual(callers.sort(), [0, 0, 0, 0, 0, 0, 0, 1]);
      assert.equal(
        (await tokens.findOneByOrFail({ tokenHash: 'fresh' })).usedAt?.toISOString(),
        now.toISOString(),
      );
      assert.equal(await spend('stale', expiresAt), 0, 'expired at exactly expires_at');
      assert.equal(await spend('edge', justBefore), 1, 'still valid a millisecond before');
      assert.equal(await spend('unknown', now), 0);
    });
  });
}

for (const kind of databaseKinds) persistenceSuite(kind);

describe('persistence on Postgres specifically', () => {
  test('tables and the migrations table live in the schema of the options, not in public', async () => {
    const database = await createTestDatabase('postgres');
    const dataSource = new DataSource(dataSourceOptions(database.target));
    try {
      await dataSource.initialize();
      const schema = database.target.kind === 'postgres' ? database.target.schema : undefined;
      const rows = await dataSource.query<{ table_name: string }[]>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      const expected = [
        ...allEntities().map((entity) => dataSource.getMetadata(entity).tableName),
        'migrations',
      ];
      assert.deepEqual(
        rows.map((row) => row.table_name),
        expected.sort(),
      );
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    }
  });

  test('an unreachable Postgres fails fast and says how to start it', async () => {
    const started = Date.now();
    await assert.rejects(
      createTestDatabase('postgres', 'postgres://postgres:secret@127.0.0.1:1/test'),
      (error: Error) =>
        /not reachable/.test(error.message) &&
        error.message.includes('pg_ctlcluster 15 main start') &&
        !error.message.includes('secret'),
    );
    assert.ok(Date.now() - started < postgresConnectTimeoutMs + 1_000);
  });

  test('a schema name that is not a plain identifier is refused', () => {
    assert.throws(
      () => dataSourceOptions({ kind: 'postgres', url: 'postgres://db/x', schema: 'hl; DROP TABLE x' }),
      /schema/,
    );
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
