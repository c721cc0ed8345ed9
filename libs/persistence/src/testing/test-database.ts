import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { type DatabaseTarget, dataSourceOptions, postgresConnectTimeoutMs } from '../data-source-options.js';

export type DatabaseKind = DatabaseTarget['kind'];

/** Every database the same suites run against. */
export const databaseKinds: readonly DatabaseKind[] = ['sqlite', 'postgres'];

/** The Postgres of a development machine and of CI (trust authentication, database `test`). */
export const defaultTestDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** A throwaway database: a fresh SQLite file, or a fresh Postgres schema that `drop` removes with its content. */
export interface TestDatabase {
  kind: DatabaseKind;
  /** What to hand to `dataSourceOptions` (or to a service module's options). */
  target: DatabaseTarget;
  drop(): Promise<void>;
}

/**
 * Creates a throwaway database of `kind`. Postgres is the one at `url` (`DATABASE_URL`, else the local
 * default); when it cannot be reached this rejects within the connection timeout with how to start it,
 * so that a suite fails rather than skips or hangs.
 */
export async function createTestDatabase(
  kind: DatabaseKind,
  url = process.env['DATABASE_URL'] ?? defaultTestDatabaseUrl,
): Promise<TestDatabase> {
  switch (kind) {
    case 'sqlite':
      return sqliteFile();
    case 'postgres':
      return postgresSchema(url);
  }
}

/** A throwaway database with every migration run, as the services see it at start. */
export async function openTestDataSource(
  kind: DatabaseKind,
): Promise<{ dataSource: DataSource; close: () => Promise<void> }> {
  const database = await createTestDatabase(kind);
  const dataSource = new DataSource(dataSourceOptions(database.target));
  try {
    await dataSource.initialize();
  } catch (error) {
    await database.drop();
    throw error;
  }
  const close = async () => {
    await dataSource.destroy();
    await database.drop();
  };
  return { dataSource, close };
}

function sqliteFile(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-persistence-'));
  const drop = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
  return { kind: 'sqlite', target: { kind: 'sqlite', file: join(dir, 'hostlink.sqlite') }, drop };
}

async function postgresSchema(url: string): Promise<TestDatabase> {
  const admin = new DataSource({ type: 'postgres', url, connectTimeoutMS: postgresConnectTimeoutMs });
  try {
    await admin.initialize();
  } catch (cause) {
    throw new Error(
      `Postgres is not reachable at ${withoutPassword(url)} (${String(cause)}). Start it ` +
        '(`pg_ctlcluster 15 main start` on a development machine) or set DATABASE_URL to a running one.',
      { cause },
    );
  }
  const schema = `hl_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const drop = async () => {
    try {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    } finally {
      await admin.destroy();
    }
  };
  return { kind: 'postgres', target: { kind: 'postgres', url, schema }, drop };
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable DATABASE_URL)';
  }
}
