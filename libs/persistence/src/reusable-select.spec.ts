import 'reflect-metadata';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { DataSource } from 'typeorm';
import { Account } from './entities/account.entity.js';
import { AccountPolicy } from './entities/policy.entity.js';
import { ReusableSelect } from './reusable-select.js';
import { databaseKinds, openTestDataSource } from './testing/test-database.js';

for (const kind of databaseKinds) {
  describe(`reusable selects on ${kind}`, () => {
    let dataSource: DataSource;
    let close: () => Promise<void>;
    const accounts = [randomUUID(), randomUUID(), randomUUID()];
    const at = new Date('2030-01-02T03:04:05.678Z');

    before(async () => {
      ({ dataSource, close } = await openTestDataSource(kind));
      for (const [index, id] of accounts.entries())
        await dataSource.getRepository(Account).insert({ id, name: `account ${index}`, createdAt: at });
      await dataSource
        .getRepository(AccountPolicy)
        .insert({ accountId: accounts[1]!, rules: { network: 'direct-only' } as never, updatedAt: at });
    });
    after(() => close?.());

    /** Parameters used out of their listed order, one of them twice, and a join. */
    const select = () =>
      new ReusableSelect<
        'name' | 'id',
        { id: string; name: string; rules: string | null; createdAt: string }
      >(dataSource, ['id', 'name'], (source) =>
        source
          .createQueryBuilder(Account, 'account')
          .select('account.id', 'id')
          .addSelect('account.name', 'name')
          .addSelect('account.createdAt', 'createdAt')
          .leftJoin(AccountPolicy, 'policy', 'policy.accountId = account.id')
          .addSelect('policy.rules', 'rules')
          .where(
            '(account.name = :name AND account.id = :id) OR (account.id = :id AND account.name IS NULL)',
          ),
      );

    test('runs with fresh values each time, rows raw under the selected aliases', async () => {
      const query = select();
      assert.deepEqual(await query.rows({ id: accounts[0]!, name: 'nobody' }), []);
      assert.deepEqual(await query.rows({ id: accounts[0]!, name: 'account 0' }), [
        { id: accounts[0], name: 'account 0', rules: null, createdAt: at.toISOString() },
      ]);
      const [withPolicy] = await query.rows({ name: 'account 1', id: accounts[1]! });
      assert.equal(withPolicy?.name, 'account 1');
      assert.deepEqual(JSON.parse(withPolicy.rules ?? 'null'), { network: 'direct-only' });
      assert.deepEqual(await query.rows({ name: 'account 0', id: accounts[1]! }), []);
    });

    test('values are bound, never spliced into the SQL', async () => {
      const query = select();
      for (const hostile of [`' OR '1'='1`, `x'); DROP TABLE account; --`, ':id', '$1', null])
        assert.deepEqual(await query.rows({ name: hostile, id: hostile }), []);
      assert.equal((await dataSource.getRepository(Account).countBy({})) >= accounts.length, true);
    });

    test('a value the builder binds on its own (not a listed parameter) is refused when first run', async () => {
      const query = new ReusableSelect<'id', object>(dataSource, ['id'], (source) =>
        source
          .createQueryBuilder(Account, 'account')
          .where('account.id = :id')
          .andWhere('account.name = :fixed', { fixed: 'account 0' }),
      );
      await assert.rejects(query.rows({ id: accounts[0]! }), /bound a value it was not given/);
    });
  });
}
