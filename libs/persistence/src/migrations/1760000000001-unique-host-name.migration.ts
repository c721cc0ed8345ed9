import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/** Host names are how people address hosts (`HOST:PATH`), so two hosts of one account may not share one. */
export class UniqueHostName1760000000001 implements MigrationInterface {
  name = 'UniqueHostName1760000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'host',
      new TableIndex({ name: 'uq_host_account_name', columnNames: ['account_id', 'name'], isUnique: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('host', 'uq_host_account_name');
  }
}
