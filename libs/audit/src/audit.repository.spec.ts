import 'reflect-metadata';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEvent, dataSourceOptions } from '@hostlink/persistence';
import { DataSource } from 'typeorm';
import { AuditModule } from './audit.module.js';
import { AuditRepository } from './audit.repository.js';

const dir = mkdtempSync(join(tmpdir(), 'hostlink-audit-'));
let app: INestApplicationContext;
before(async () => {
  class AuditTestModule {}
  app = await NestFactory.createApplicationContext(
    {
      module: AuditTestModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions({ kind: 'sqlite', file: join(dir, 'audit.sqlite') })),
        AuditModule,
      ],
    },
    { logger: false },
  );
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

test('entries are appended with their own ids and read back as written', async () => {
  const at = new Date('2030-01-02T03:04:05.678Z');
  const audit = app.get(AuditRepository);
  const entry = { actor: 'address:203.0.113.7', outcome: 'failure', at } as const;
  await audit.record({
    ...entry,
    accountId: null,
    action: 'auth.sign-in',
    detail: { email: 'a@example.com' },
  });
  await audit.record({
    ...entry,
    accountId: null,
    action: 'auth.sign-in',
    detail: { email: 'a@example.com' },
  });
  const stored = await app.get(DataSource).getRepository(AuditEvent).find();
  assert.equal(stored.length, 2, 'identical entries are two entries');
  assert.notEqual(stored[0]!.id, stored[1]!.id);
  assert.deepEqual(
    { ...stored[0]!, id: undefined },
    { ...entry, id: undefined, accountId: null, action: 'auth.sign-in', detail: { email: 'a@example.com' } },
  );
  assert.equal(stored[0]!.at.toISOString(), at.toISOString());
});

test('an entry recorded twice under the same event id is kept once', async () => {
  const audit = app.get(AuditRepository);
  const id = '3f0c7a52-4d0e-4f5b-9a43-2f4c1c2f8e11';
  const entry = {
    id,
    accountId: null,
    actor: 'host:x',
    action: 'broker.host.online',
    outcome: 'success',
    detail: {},
    at: new Date(),
  } as const;
  await audit.record(entry);
  await audit.record({ ...entry, detail: { second: true } });
  const stored = await app.get(DataSource).getRepository(AuditEvent).findBy({ id });
  assert.deepEqual(
    stored.map((event) => event.detail),
    [{}],
  );
});
