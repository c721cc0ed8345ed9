import type { DataSource, SelectQueryBuilder } from 'typeorm';

/** A value bound to a named parameter of a reusable select. */
export type SqlValue = string | number | null;

/**
 * A SELECT that TypeORM's query builder writes once, then runs with fresh parameters, rows read raw.
 * Writing the SQL (rewriting aliases and property names) and hydrating entities are most of the CPU a
 * small query costs through TypeORM, and it pays them on every call: a request path that runs the same
 * query thousands of times a second pays them once here. The builder still writes the SQL, so quoting, the
 * naming strategy and each driver's placeholders (`$1` in Postgres, `?` in SQLite) stay TypeORM's.
 * Parameters are named in the builder (`:hostId`) and listed in `parameters`; rows carry the aliases the
 * builder selected, with values as the driver returns them (no transformers run).
 */
export class ReusableSelect<P extends string, Row extends object> {
  private prepared?: { sql: string; order: P[] };

  constructor(
    private readonly dataSource: DataSource,
    private readonly parameters: readonly P[],
    private readonly build: (dataSource: DataSource) => SelectQueryBuilder<object>,
  ) {}

  async rows(values: Readonly<Record<P, SqlValue>>): Promise<Row[]> {
    const { sql, order } = (this.prepared ??= this.prepare());
    return await this.dataSource.query<Row[]>(
      sql,
      order.map((name) => values[name]),
    );
  }

  /** Writes the SQL with a marker per parameter and learns from the bound markers which goes where. */
  private prepare(): { sql: string; order: P[] } {
    const markers = new Map(this.parameters.map((name) => [`\u0000${name}\u0000`, name]));
    const builder = this.build(this.dataSource).setParameters(
      Object.fromEntries([...markers].map(([marker, name]) => [name, marker])),
    );
    const [sql, bound] = builder.getQueryAndParameters();
    const order = bound.map((value) => {
      const name = typeof value === 'string' ? markers.get(value) : undefined;
      if (name === undefined) throw new Error(`reusable select bound a value it was not given: ${sql}`);
      return name;
    });
    return { sql, order };
  }
}
