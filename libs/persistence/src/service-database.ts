import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

export interface PostgresTarget {
  url: string;
  schema?: string;
}

/**
 * `TypeOrmModule.forRootAsync` options of a service process on Postgres. Several processes (auth, every
 * broker) start at once on a database that may be empty: each migrates under one advisory lock, so the
 * first does the work and the others find nothing pending. A database that is down fails the start after a
 * few quick tries; the orchestrator restarts the process with its own backoff.
 */
export function serviceDatabase(target: PostgresTarget) {
  const options = { ...dataSourceOptions({ kind: 'postgres', ...target }), migrationsRun: false };
  return {
    useFactory: () => ({ ...options, retryAttempts: 2, retryDelay: 1000 }),
    dataSourceFactory: (given?: DataSourceOptions) => openMigrated(given ?? options, target.schema),
  };
}

async function openMigrated(options: DataSourceOptions, schema: string | undefined): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  try {
    await migrateUnderLock(dataSource, `hostlink.migrations.${schema ?? 'public'}`);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}

/** Session-level advisory lock, held on one connection of the pool while the migrations run on another. */
async function migrateUnderLock(dataSource: DataSource, lockName: string): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [lockName]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockName]).catch(() => undefined);
    await runner.release();
  }
}
