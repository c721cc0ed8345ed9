import type { DataSourceOptions } from 'typeorm';
import { Account } from './entities/account.entity.js';
import { AuditEvent } from './entities/audit-event.entity.js';
import { EnrollmentToken } from './entities/enrollment-token.entity.js';
import { Host } from './entities/host.entity.js';
import { LoginThrottle } from './entities/login-throttle.entity.js';
import { PasswordCredential } from './entities/password-credential.entity.js';
import { AccountPolicy } from './entities/policy.entity.js';
import { RefreshFamily } from './entities/refresh-family.entity.js';
import { RefreshToken } from './entities/refresh-token.entity.js';
import { SamlAssertionUse } from './entities/saml-assertion-use.entity.js';
import { SamlIdentityProvider } from './entities/saml-identity-provider.entity.js';
import { SamlRequest } from './entities/saml-request.entity.js';
import { SignInCode } from './entities/sign-in-code.entity.js';
import { SigningKey } from './entities/signing-key.entity.js';
import { User } from './entities/user.entity.js';
import { Initial1760000000000 } from './migrations/1760000000000-initial.migration.js';
import { UniqueHostName1760000000001 } from './migrations/1760000000001-unique-host-name.migration.js';
import { Saml1760000000002 } from './migrations/1760000000002-saml.migration.js';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export type DatabaseTarget =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; schema?: string };

/** How long a Postgres connection attempt may take: an unreachable database fails fast, never hangs. */
export const postgresConnectTimeoutMs = 5_000;

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/;

/** Entities of the auth service (identities, credentials, refresh tokens, its keys, sign-in throttling, SAML and its audit entries). */
export const authEntities = () => [
  Account,
  User,
  PasswordCredential,
  RefreshFamily,
  RefreshToken,
  SigningKey,
  LoginThrottle,
  AuditEvent,
  SamlIdentityProvider,
  SamlRequest,
  SamlAssertionUse,
  SignInCode,
];

/** Entities of the broker service (it reads users and accounts, owns hosts, enrollment, policies, audit, its keys). */
export const brokerEntities = () => [
  Account,
  User,
  Host,
  EnrollmentToken,
  AccountPolicy,
  AuditEvent,
  SigningKey,
];

/** Every entity and migration, listed explicitly: globs do not load ES modules. */
export const allEntities = () => [...new Set([...authEntities(), ...brokerEntities()])];
export const allMigrations = () => [Initial1760000000000, UniqueHostName1760000000001, Saml1760000000002];

/**
 * Options for `TypeOrmModule.forRoot` or `new DataSource`: the schema comes from migrations, run at start,
 * never from `synchronize`.
 */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = {
    entities: allEntities(),
    migrations: allMigrations(),
    migrationsRun: true,
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
  } as const;
  switch (target.kind) {
    case 'sqlite':
      return { ...common, type: 'better-sqlite3', database: target.file, enableWAL: true };
    case 'postgres':
      return {
        ...common,
        type: 'postgres',
        url: target.url,
        connectTimeoutMS: postgresConnectTimeoutMs,
        ...inSchema(target.schema),
      };
  }
}

/**
 * Tables, indices and the migrations table go to `schema`; the search path points there too, so raw SQL
 * (which names tables unqualified) reads the same tables as the query builder. The name lands in SQL and
 * in a connection option, hence the strict shape.
 */
function inSchema(schema: string | undefined) {
  if (schema === undefined) return {};
  if (!schemaName.test(schema))
    throw new Error(`Postgres schema "${schema}" must be lower-case letters, digits and underscores`);
  return { schema, extra: { options: `-c search_path=${schema}` } };
}
