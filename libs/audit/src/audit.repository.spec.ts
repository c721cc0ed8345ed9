import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent, dataSourceOptions } from '@hostlink/persistence';
import { createTestDatabase, databaseKinds, type TestDatabase } from '@hostlink/persistence/testing';
import { DataSource, In } from 'typeorm';
import { AuditModule } from './audit.module.js';
import { type AuditEntry, AuditRepository } from './audit.repository.js';

for (const kind of databaseKinds) {
  describe(`audit log on ${kind}`, () => {
    let database: TestDatabase;
    let app: INestApplicationContext;
    const stored = (ids: string[]) =>
      app
        .get(DataSource)
        .getRepository(AuditEvent)
        .findBy({ id: In(ids) });
    const entry = (detail: AuditEntry['detail'] = {}): AuditEntry & { id: string } => ({
      id: randomUUID(),
      accountId: null,
      actor: 'host:x',
      action: 'broker.host.connect',
      outcome: 'success',
      detail,
      at: new Date(),
    });

    before(async () => {
      database = await createTestDatabase(kind);
      class AuditTestModule {}
      app = await NestFactory.createApplicationContext(
        {
          module: AuditTestModule,
          imports: [TypeOrmModule.forRoot(dataSourceOptions(database.target)), AuditModule],
        },
        { logger: false },
      );
    });
    after(async () => {
      await app?.close();
      await database?.drop();
    });

    test('entries are appended with their own ids and read back as written', async () => {
      const at = new Date('2030-01-02T03:04:05.678Z');
      const audit = app.get(AuditRepository);
      const actor = `address:${randomUUID()}`;
      const written = { actor, outcome: 'failure', at } as const;
      const signIn = { accountId: null, action: 'auth.sign-in', detail: { email: 'a@example.com' } };
      await audit.record({ ...written, ...signIn });
      await audit.record({ ...written, ...signIn });
      const rows = await app.get(DataSource).getRepository(AuditEvent).findBy({ actor });
      assert.equal(rows.length, 2, 'identical entries are two entries');
      assert.notEqual(rows[0]!.id, rows[1]!.id);
      assert.deepEqual({ ...rows[0]!, id: undefined }, { ...written, ...signIn, id: undefined });
      assert.equal(rows[0]!.at.toISOString(), at.toISOString());
    });

    test('an entry recorded twice under the same event id is kept once', async () => {
      const audit = app.get(AuditRepository);
      const first = entry();
      await audit.record(first);
      await audit.record({ ...first, detail: { second: true } });
      await Promise.all([audit.record({ ...first, detail: { third: true } }), audit.record(entry())]);
      assert.deepEqual(
        (await stored([first.id])).map((event) => event.detail),
        [{}],
      );
    });

    test('entries recorded together are all stored, each caller told once its own is', async () => {
      const audit = app.get(AuditRepository);
      const entries = Array.from({ length: 1200 }, (_, index) => entry({ index }));
      await Promise.all(entries.map((each) => audit.record(each)));
      const rows = await stored(entries.map((each) => each.id));
      assert.equal(rows.length, entries.length);
      assert.deepEqual(
        rows.map((row) => row.detail['index']).sort((a, b) => Number(a) - Number(b)),
        entries.map((_, index) => index),
      );
    });

    test('a bad entry among others fails only its own caller', async () => {
      const audit = app.get(AuditRepository);
      const good = [entry(), entry(), entry()];
      const bad = { ...entry(), actor: null as unknown as string };
      const results = await Promise.allSettled([
        audit.record(good[0]!),
        audit.record(good[1]!),
        audit.record(bad),
        audit.record(good[2]!),
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['fulfilled', 'fulfilled', 'rejected', 'fulfilled'],
      );
      assert.equal((await stored(good.map((each) => each.id))).length, 3);
      assert.equal((await stored([bad.id])).length, 0);
      await audit.record(entry());
    });
  });
}
