import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { allMigrations } from './data-source-options.js';
import { serviceDatabase } from './service-database.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase('postgres');
});
after(() => database?.drop());

test('service processes starting together on an empty database migrate it once, without failing', async () => {
  assert.equal(database.target.kind, 'postgres');
  const { url, schema } = database.target as { url: string; schema: string };
  const module = serviceDatabase({ url, schema });
  const options = module.useFactory();
  assert.equal(options.migrationsRun, false, 'migrations run under the lock, not by TypeORM on its own');
  const opened: DataSource[] = await Promise.all(
    Array.from({ length: 4 }, () => module.dataSourceFactory(options)),
  );
  try {
    const [first] = opened;
    const ran = await first!.query<{ name: string }[]>(`SELECT name FROM ${schema}.migrations ORDER BY id`);
    assert.deepEqual(
      ran.map((row) => row.name),
      allMigrations().map((migration) => migration.name),
    );
    for (const dataSource of opened) assert.equal(await dataSource.showMigrations(), false);
  } finally {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
  }
});
