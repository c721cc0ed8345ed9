import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

const str = (name: string, length: number, isNullable = false) => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable,
});
const time = (name: string, isNullable = false) => str(name, 32, isNullable);

const tables: Table[] = [
  new Table({
    name: 'saml_identity_provider',
    columns: [
      { ...str('account_id', 36), isPrimary: true },
      str('entity_id', 1024),
      str('sso_url', 2048),
      { name: 'signing_certs', type: 'text' },
      { name: 'jit_provisioning', type: 'boolean' },
      time('updated_at'),
    ],
    foreignKeys: [
      new TableForeignKey({
        columnNames: ['account_id'],
        referencedTableName: 'account',
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      }),
    ],
  }),
  new Table({
    name: 'saml_request',
    columns: [
      { ...str('id', 128), isPrimary: true },
      str('account_id', 36),
      str('value', 64),
      str('code_challenge', 64),
      str('redirect_uri', 512),
      str('client_state', 128),
      time('expires_at'),
    ],
  }),
  new Table({
    name: 'saml_assertion_use',
    columns: [{ ...str('key', 64), isPrimary: true }, str('account_id', 36), time('expires_at')],
  }),
  new Table({
    name: 'sign_in_code',
    columns: [
      { ...str('token_hash', 64), isPrimary: true },
      str('user_id', 36),
      str('code_challenge', 64),
      time('expires_at'),
      time('used_at', true),
    ],
    indices: [new TableIndex({ name: 'ix_sign_in_code_expires', columnNames: ['expires_at'] })],
  }),
];

/** SAML single sign-on: each account's IdP, pending AuthnRequests, spent assertions, one-time sign-in codes. */
export class Saml1760000000002 implements MigrationInterface {
  name = 'Saml1760000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of tables) await queryRunner.createTable(table, false, true, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...tables].reverse()) await queryRunner.dropTable(table.name);
  }
}
