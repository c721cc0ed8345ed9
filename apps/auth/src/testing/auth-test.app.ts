import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BusClient, BusModule } from '@hostlink/bus';
import { type DatabaseTarget, dataSourceOptions } from '@hostlink/persistence';
import { TestClock } from '@hostlink/testing';
import { KeyRing } from '@hostlink/token-keys';
import { DataSource } from 'typeorm';
import { AuthModule } from '../auth.module.js';

export const TEST_ISSUER = 'http://auth.test';

export interface AuthTestApp {
  bus: BusClient;
  dataSource: DataSource;
  clock: TestClock;
  keyRing: KeyRing;
  close(): Promise<void>;
}

/**
 * The auth module on a fresh SQLite file (or the given database) behind the real in-process bus, as
 * apps/server composes it. Two started in one process share the bus round robin, like NATS queue groups.
 */
export async function startAuthTestApp(
  options: { clock?: TestClock; samlClockSkewSeconds?: number; database?: DatabaseTarget } = {},
): Promise<AuthTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'hostlink-auth-'));
  // Given a database, this is one more instance of a service whose others use it too.
  const database = options.database ?? { kind: 'sqlite', file: join(dir, 'auth.sqlite') };
  const clock = options.clock ?? new TestClock();
  class AuthTestModule {}
  const app = await NestFactory.createMicroservice(
    {
      module: AuthTestModule,
      imports: [
        TypeOrmModule.forRoot(dataSourceOptions(database)),
        BusModule.forRoot({ kind: 'in-process' }),
        AuthModule.forRoot({
          issuer: TEST_ISSUER,
          clock: clock.now,
          samlClockSkewSeconds: options.samlClockSkewSeconds,
        }),
      ],
    },
    { ...BusModule.transportFor({ kind: 'in-process' }), logger: false },
  );
  await app.listen();
  return {
    bus: app.get(BusClient),
    dataSource: app.get(DataSource),
    clock,
    keyRing: app.get(KeyRing),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
