import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * One INSERT of many rows of one entity, duplicates of a unique key skipped (`ON CONFLICT DO NOTHING`:
 * uniqueness only, in Postgres and SQLite alike; a NOT NULL or other violation still fails). The statement
 * is written from TypeORM's own metadata and driver (table and column names, quoting, each driver's
 * placeholders, value conversions: transformers, simple-json), without the query builder, whose work on
 * every call is most of a small insert's CPU. For entities whose rows give every column: no generated or
 * defaulted columns, no relations (refused).
 */
export async function insertSkippingDuplicates<E extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityTarget<E>,
  rows: readonly E[],
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = dataSource.getMetadata(entity);
  const { columns } = metadata;
  if (
    metadata.relations.length > 0 ||
    columns.some((column) => column.isGenerated || column.default !== undefined)
  )
    throw new Error(
      `${metadata.name}: insertSkippingDuplicates takes plain entities whose rows give every column`,
    );
  const driver = dataSource.driver;
  const table = metadata.tablePath
    .split('.')
    .map((part) => driver.escape(part))
    .join('.');
  const names = columns.map((column) => driver.escape(column.databaseName)).join(', ');
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const placeholders = columns.map((column) => {
      values.push(driver.preparePersistentValue(column.getEntityValue(row, true), column));
      return driver.createParameter(`v${values.length - 1}`, values.length - 1);
    });
    return `(${placeholders.join(', ')})`;
  });
  await dataSource.query(
    `INSERT INTO ${table} (${names}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
    values,
  );
}
