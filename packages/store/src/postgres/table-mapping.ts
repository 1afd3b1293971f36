import { ValidationError } from '@qtp/core';

/**
 * How a field is stored and read back: `text`; `integer` (int4, a JS number); `number` (a
 * float the host observes, stored in a `NUMERIC` or float column and read as a JS number);
 * `decimal` (an exact amount, `NUMERIC`, read as a decimal string); `timeMs` (epoch
 * milliseconds in a `bigint`, read as a JS number); `json` (`jsonb`); `boolean`.
 */
export type ColumnKind = 'text' | 'integer' | 'number' | 'decimal' | 'timeMs' | 'json' | 'boolean';

/** A field's column: its kind, and its column name when it is not the field's in snake_case. */
export type ColumnSpec = ColumnKind | { readonly kind: ColumnKind; readonly column: string };

/** Where a collection lives in PostgreSQL: a table with `id` and `version` columns. */
export interface TableMapping {
  /** The table name; the connection's `search_path` picks the schema. */
  readonly table: string;
  /** The kind of the `id` column (default `text`). */
  readonly idKind?: 'text' | 'integer';
  /** Every other field but `version`, with its column. */
  readonly columns: Readonly<Record<string, ColumnSpec>>;
}

/** A field resolved to its column. @internal */
export interface ResolvedColumn {
  readonly field: string;
  readonly column: string;
  readonly kind: ColumnKind;
}

/** A table mapping checked and resolved. @internal */
export interface ResolvedTable {
  readonly table: string;
  readonly idKind: 'text' | 'integer';
  readonly columns: readonly ResolvedColumn[];
  readonly byField: ReadonlyMap<string, ResolvedColumn>;
  readonly selectList: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function snakeCase(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function selectExpression(column: ResolvedColumn): string {
  const name = `"${column.column}"`;
  const alias = `"${column.field}"`;
  switch (column.kind) {
    case 'decimal':
      return `${name}::text AS ${alias}`;
    default:
      return `${name} AS ${alias}`;
  }
}

/** Checks a mapping and resolves its column names. @internal */
export function resolveTable(name: string, mapping: TableMapping): ResolvedTable {
  if (!IDENTIFIER.test(mapping.table)) {
    throw new ValidationError(
      `tables.${name}.table`,
      'be a lower-case SQL identifier',
      mapping.table,
    );
  }
  const idKind = mapping.idKind ?? 'text';
  const columns: ResolvedColumn[] = [
    { field: 'id', column: 'id', kind: idKind },
    { field: 'version', column: 'version', kind: 'integer' },
  ];
  for (const [field, spec] of Object.entries(mapping.columns)) {
    const kind = typeof spec === 'string' ? spec : spec.kind;
    const column = typeof spec === 'string' ? snakeCase(field) : spec.column;
    if (!IDENTIFIER.test(column)) {
      throw new ValidationError(
        `tables.${name}.columns.${field}`,
        'name a lower-case SQL identifier',
        column,
      );
    }
    if (field === 'id' || field === 'version') {
      throw new ValidationError(
        `tables.${name}.columns.${field}`,
        'not repeat id or version',
        field,
      );
    }
    columns.push({ field, column, kind });
  }
  return {
    table: mapping.table,
    idKind,
    columns,
    byField: new Map(columns.map((column) => [column.field, column])),
    selectList: columns.map(selectExpression).join(', '),
  };
}

/** Returns the SQL type a parameter of this kind is cast to. @internal */
export function sqlType(kind: ColumnKind): string {
  switch (kind) {
    case 'text':
      return 'text';
    case 'integer':
      return 'integer';
    case 'number':
    case 'decimal':
      return 'numeric';
    case 'timeMs':
      return 'bigint';
    case 'json':
      return 'jsonb';
    case 'boolean':
      return 'boolean';
  }
}

/** Returns a field value as the parameter `pg` sends. @internal */
export function toParameter(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'json':
      return JSON.stringify(value);
    case 'decimal':
    case 'number':
      return String(value);
    default:
      return value;
  }
}

/** Returns a row value as the field value the entity holds. @internal */
export function fromColumn(kind: ColumnKind, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'number':
    case 'timeMs':
      return Number(value);
    default:
      return value;
  }
}
