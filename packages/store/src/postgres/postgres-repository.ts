import { ConcurrencyConflictError } from '@qtp/core';
import type { Entity, EntityId, Filter, NewEntity, Query, Repository } from '@qtp/core/repository';
import type { QueryResultRow } from 'pg';
import { translatePgError } from './pg-errors.js';
import { selectQuery, whereClause } from './sql-query.js';
import { fromColumn, type ResolvedTable, sqlType, toParameter } from './table-mapping.js';

/** What a repository runs its SQL on: a pool (each statement commits) or a transaction's client. @internal */
export interface Queryable {
  query<R extends QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * A {@link Repository} on one PostgreSQL table, with optimistic versioning: an update or removal
 * names the version it read, and the statement's `WHERE version = $n` decides; a write that
 * matches no row reads the stored version to say why in a `ConcurrencyConflictError`.
 * Built by `PostgresDataStore`.
 * @internal
 */
export class PostgresRepository<T extends Entity<Id>, Id extends EntityId = string>
  implements Repository<T, Id>
{
  readonly name: string;

  constructor(
    name: string,
    private readonly table: ResolvedTable,
    private readonly db: () => Queryable,
  ) {
    this.name = name;
  }

  async get(id: Id): Promise<T | undefined> {
    const { rows } = await this.run(
      `SELECT ${this.table.selectList} FROM ${this.table.table} WHERE id = $1`,
      [id],
    );
    return rows[0] === undefined ? undefined : this.entityOf(rows[0]);
  }

  async find(query: Query<T> = {}): Promise<T[]> {
    const { text, values } = selectQuery(this.table, query);
    const { rows } = await this.run(text, values);
    return rows.map((row) => this.entityOf(row));
  }

  async count(where?: Filter<T>): Promise<number> {
    const values: unknown[] = [];
    const clause = whereClause(this.table, where, values);
    const { rows } = await this.run(
      `SELECT count(*)::int AS n FROM ${this.table.table} WHERE ${clause}`,
      values,
    );
    return (rows[0] as { n: number }).n;
  }

  async add(entity: NewEntity<T>): Promise<T> {
    const record = entity as Record<string, unknown>;
    const columns = this.table.columns;
    const values = columns.map((column) =>
      column.field === 'version' ? 1 : toParameter(column.kind, record[column.field]),
    );
    const placeholders = columns.map((column, i) => `$${i + 1}::${sqlType(column.kind)}`);
    const { rows } = await this.run(
      `INSERT INTO ${this.table.table} (${columns.map((c) => `"${c.column}"`).join(', ')})
       VALUES (${placeholders.join(', ')}) ON CONFLICT (id) DO NOTHING
       RETURNING ${this.table.selectList}`,
      values,
      String(record.id),
    );
    if (rows[0] !== undefined) return this.entityOf(rows[0]);
    throw this.conflict(String(record.id), undefined, await this.versionOf(record.id as Id));
  }

  async update(entity: T): Promise<T> {
    const record = entity as unknown as Record<string, unknown>;
    const fields = this.table.columns.filter((c) => c.field !== 'id' && c.field !== 'version');
    const values: unknown[] = [entity.id, entity.version];
    const sets = fields.map((column) => {
      values.push(toParameter(column.kind, record[column.field]));
      return `"${column.column}" = $${values.length}::${sqlType(column.kind)}`;
    });
    sets.push('version = version + 1');
    const { rows } = await this.run(
      `UPDATE ${this.table.table} SET ${sets.join(', ')} WHERE id = $1 AND version = $2
       RETURNING ${this.table.selectList}`,
      values,
      String(entity.id),
    );
    if (rows[0] !== undefined) return this.entityOf(rows[0]);
    throw this.conflict(String(entity.id), entity.version, await this.versionOf(entity.id));
  }

  async remove(id: Id, expectedVersion?: number): Promise<boolean> {
    const { rowCount } =
      expectedVersion === undefined
        ? await this.run(`DELETE FROM ${this.table.table} WHERE id = $1`, [id], String(id))
        : await this.run(
            `DELETE FROM ${this.table.table} WHERE id = $1 AND version = $2`,
            [id, expectedVersion],
            String(id),
          );
    if (rowCount === 1) return true;
    if (expectedVersion === undefined) return false;
    throw this.conflict(String(id), expectedVersion, await this.versionOf(id));
  }

  private async versionOf(id: Id): Promise<number | undefined> {
    const { rows } = await this.run(`SELECT version FROM ${this.table.table} WHERE id = $1`, [id]);
    return (rows[0] as { version: number } | undefined)?.version;
  }

  private conflict(
    id: string,
    expectedVersion: number | undefined,
    actualVersion: number | undefined,
  ): ConcurrencyConflictError {
    return new ConcurrencyConflictError({ entity: this.name, id, expectedVersion, actualVersion });
  }

  private async run(
    text: string,
    values: unknown[],
    id = '',
  ): Promise<{ rows: QueryResultRow[]; rowCount: number | null }> {
    const db = this.db();
    try {
      return await db.query(text, values);
    } catch (error) {
      throw translatePgError(error, this.name, id);
    }
  }

  private entityOf(row: QueryResultRow): T {
    const entity: Record<string, unknown> = {};
    for (const column of this.table.columns) {
      entity[column.field] = fromColumn(column.kind, row[column.field]);
    }
    return entity as T;
  }
}
