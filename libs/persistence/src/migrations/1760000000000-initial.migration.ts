import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions.js';

// Column shapes shared by every table. Only portable types (varchar, integer, text) so that the same
// migration runs on SQLite and Postgres; times are ISO strings (see iso-date.transformer.ts).
const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const ref = (name: string, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: '36',
  isNullable: nullable,
});
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const time = (name: string, nullable = false): TableColumnOptions => str(name, 32, nullable);
const json = (name: string): TableColumnOptions => ({ name, type: 'text' });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer' });

const cascade = (column: string, table: string, referencedColumn = 'id') =>
  new TableForeignKey({
    columnNames: [column],
    referencedTableName: table,
    referencedColumnNames: [referencedColumn],
    onDelete: 'CASCADE',
  });
const index = (name: string, columnNames: string[], isUnique = false) =>
  new TableIndex({ name, columnNames, isUnique });

const tables: Table[] = [
  new Table({ name: 'account', columns: [id(), str('name', 128), time('created_at')] }),
  new Table({
    name: 'app_user',
    columns: [id(), ref('account_id'), str('email', 254), str('role', 16), time('created_at')],
    foreignKeys: [cascade('account_id', 'account')],
    indices: [
      index('uq_user_account_email', ['account_id', 'email'], true),
      index('ix_user_email', ['email']),
    ],
  }),
  new Table({
    name: 'password_credential',
    columns: [
      id('user_id'),
      str('salt', 64),
      str('hash', 128),
      int('cost_n'),
      int('block_size_r'),
      int('parallel_p'),
      time('updated_at'),
    ],
    foreignKeys: [cascade('user_id', 'app_user')],
  }),
  new Table({
    name: 'refresh_family',
    columns: [
      id(),
      ref('user_id'),
      time('created_at'),
      time('revoked_at', true),
      str('revoked_reason', 16, true),
    ],
    foreignKeys: [cascade('user_id', 'app_user')],
  }),
  new Table({
    name: 'refresh_token',
    columns: [
      id(),
      str('token_hash', 64),
      ref('family_id'),
      ref('user_id'),
      time('issued_at'),
      time('expires_at'),
      time('used_at', true),
    ],
    foreignKeys: [cascade('family_id', 'refresh_family'), cascade('user_id', 'app_user')],
    indices: [
      index('uq_refresh_token_hash', ['token_hash'], true),
      index('ix_refresh_token_family', ['family_id']),
    ],
  }),
  new Table({
    name: 'signing_key',
    columns: [
      { name: 'kid', type: 'varchar', length: '64', isPrimary: true },
      str('owner', 16),
      str('alg', 16),
      json('public_jwk'),
      json('private_jwk'),
      time('created_at'),
      time('retired_at', true),
    ],
    indices: [index('ix_signing_key_owner', ['owner'])],
  }),
  new Table({
    name: 'host',
    columns: [
      id(),
      ref('account_id'),
      ref('owner_user_id'),
      str('name', 64),
      str('os', 64),
      str('public_key', 43),
      time('enrolled_at'),
      time('last_seen_at', true),
    ],
    foreignKeys: [cascade('account_id', 'account'), cascade('owner_user_id', 'app_user')],
    indices: [index('uq_host_public_key', ['public_key'], true), index('ix_host_account', ['account_id'])],
  }),
  new Table({
    name: 'enrollment_token',
    columns: [
      id(),
      str('token_hash', 64),
      ref('account_id'),
      ref('user_id'),
      time('created_at'),
      time('expires_at'),
      time('used_at', true),
    ],
    foreignKeys: [cascade('account_id', 'account'), cascade('user_id', 'app_user')],
    indices: [index('uq_enrollment_token_hash', ['token_hash'], true)],
  }),
  new Table({
    name: 'account_policy',
    columns: [id('account_id'), json('rules'), time('updated_at')],
    foreignKeys: [cascade('account_id', 'account')],
  }),
  new Table({
    name: 'audit_event',
    columns: [
      id(),
      ref('account_id', true),
      str('actor', 300),
      str('action', 64),
      str('outcome', 16),
      json('detail'),
      time('at'),
    ],
    indices: [index('ix_audit_event_account_at', ['account_id', 'at'])],
  }),
  new Table({
    name: 'login_throttle',
    columns: [
      { name: 'key', type: 'varchar', length: '300', isPrimary: true },
      int('failures'),
      time('last_failure_at'),
      time('blocked_until', true),
    ],
  }),
];

export class Initial1760000000000 implements MigrationInterface {
  name = 'Initial1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables) await queryRunner.createTable(table, false, true, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name);
  }
}
