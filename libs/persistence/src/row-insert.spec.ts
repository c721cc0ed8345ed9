import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type DataSource, In } from 'typeorm';
import { AuditEvent } from './entities/audit-event.entity.js';
import { Host } from './entities/host.entity.js';
import { insertSkippingDuplicates } from './row-insert.js';
import { databaseKinds, openTestDataSource } from './testing/test-database.js';

for (const kind of databaseKinds) {
  describe(`rows inserted in one statement on ${kind}`, () => {
    let dataSource: DataSource;
    let close: () => Promise<void>;
    const event = (detail: AuditEvent['detail'] = {}): AuditEvent => ({
      id: randomUUID(),
      accountId: null,
      actor: `user:${randomUUID()}`,
      action: 'test.insert',
      outcome: 'success',
      detail,
      at: new Date('2030-01-02T03:04:05.678Z'),
    });
    /** As plain objects, to compare with what was given. */
    const read = async (rows: AuditEvent[]) =>
      (await dataSource.getRepository(AuditEvent).findBy({ id: In(rows.map((row) => row.id)) })).map(
        (row) => ({ ...row }),
      );

    before(async () => {
      ({ dataSource, close } = await openTestDataSource(kind));
    });
    after(() => close?.());

    test('rows read back through the entity exactly as given, times and JSON included', async () => {
      const hostile = `'); DROP TABLE audit_event; -- "\\ \u202e ${'x'.repeat(200)}`;
      const rows = [
        event({ text: hostile, nested: { list: [1, null, 'ü'] } }),
        { ...event(), actor: hostile },
      ];
      await insertSkippingDuplicates(dataSource, AuditEvent, rows);
      const stored = await read(rows);
      assert.deepEqual(
        stored.sort((a, b) => a.id.localeCompare(b.id)),
        [...rows].sort((a, b) => a.id.localeCompare(b.id)),
      );
      assert.ok(stored.every((row) => row.at instanceof Date));
      await insertSkippingDuplicates(dataSource, AuditEvent, []);
    });

    test('a duplicate id is skipped, the others of the statement stored', async () => {
      const first = event({ first: true });
      await insertSkippingDuplicates(dataSource, AuditEvent, [first]);
      const other = event();
      await insertSkippingDuplicates(dataSource, AuditEvent, [{ ...first, detail: { second: true } }, other]);
      assert.deepEqual(
        (await read([first, other])).map((row) => row.detail).sort((a) => (a['first'] ? -1 : 1)),
        [{ first: true }, {}],
      );
    });

    test('any other violation fails the whole statement', async () => {
      const good = event();
      await assert.rejects(
        insertSkippingDuplicates(dataSource, AuditEvent, [good, { ...event(), actor: null as never }]),
      );
      assert.deepEqual(await read([good]), []);
    });

    test('an entity with relations is refused before any SQL', async () => {
      await assert.rejects(
        insertSkippingDuplicates(dataSource, Host, []).then(() =>
          insertSkippingDuplicates(dataSource, Host, [{} as Host]),
        ),
        /plain entities/,
      );
    });
  });
}
