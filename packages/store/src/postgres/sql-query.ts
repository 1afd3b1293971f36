import { ValidationError } from '@qtp/core';
import type { Filter, Query } from '@qtp/core/repository';
import { type ResolvedColumn, type ResolvedTable, sqlType, toParameter } from './table-mapping.js';

const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn']);
const COMPARISONS: Readonly<Record<string, string>> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** SQL text with its parameters, numbered from $1. @internal */
export interface SqlFragment {
  readonly text: string;
  readonly values: unknown[];
}

function isOperators(condition: unknown): condition is Record<string, unknown> {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
  const proto = Object.getPrototypeOf(condition);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(condition);
  return keys.length > 0 && keys.every((key) => OPERATORS.has(key));
}

// Strings compare by code unit, as the in-memory store does: the C collation.
function columnRef(column: ResolvedColumn): string {
  return column.kind === 'text' ? `"${column.column}" COLLATE "C"` : `"${column.column}"`;
}

class Builder {
  readonly values: unknown[];
  constructor(values: unknown[]) {
    this.values = values;
  }
  param(column: ResolvedColumn, value: unknown): string {
    this.values.push(toParameter(column.kind, value));
    return `$${this.values.length}::${sqlType(column.kind)}`;
  }
  list(column: ResolvedColumn, items: readonly unknown[]): string {
    this.values.push(items.map((item) => toParameter(column.kind, item)));
    return `$${this.values.length}::${sqlType(column.kind)}[]`;
  }
}

function equality(b: Builder, column: ResolvedColumn, value: unknown, negate: boolean): string {
  const ref = columnRef(column);
  if (value === null || value === undefined) return `${ref} IS ${negate ? 'NOT ' : ''}NULL`;
  return negate
    ? `${ref} IS DISTINCT FROM ${b.param(column, value)}`
    : `${ref} = ${b.param(column, value)}`;
}

function membership(
  b: Builder,
  column: ResolvedColumn,
  items: readonly unknown[],
  negate: boolean,
): string {
  const ref = columnRef(column);
  const present = items.filter((item) => item !== null && item !== undefined);
  const hasNull = present.length < items.length;
  const any = present.length === 0 ? 'false' : `${ref} = ANY(${b.list(column, present)})`;
  if (!negate) return hasNull ? `(${any} OR ${ref} IS NULL)` : `coalesce(${any}, false)`;
  return hasNull
    ? `(${ref} IS NOT NULL AND NOT coalesce(${any}, false))`
    : `(${ref} IS NULL OR NOT coalesce(${any}, false))`;
}

function condition(b: Builder, column: ResolvedColumn, value: unknown): string[] {
  if (!isOperators(value)) return [equality(b, column, value, false)];
  const parts: string[] = [];
  for (const [operator, operand] of Object.entries(value)) {
    if (operand === undefined) continue;
    switch (operator) {
      case 'eq':
        parts.push(equality(b, column, operand, false));
        break;
      case 'ne':
        parts.push(equality(b, column, operand, true));
        break;
      case 'in':
        parts.push(membership(b, column, operand as readonly unknown[], false));
        break;
      case 'notIn':
        parts.push(membership(b, column, operand as readonly unknown[], true));
        break;
      default:
        // A missing value is neither greater nor less than anything; NULL compares as unknown.
        if (operand === null) parts.push('false');
        else
          parts.push(
            `coalesce(${columnRef(column)} ${COMPARISONS[operator]} ${b.param(column, operand)}, false)`,
          );
    }
  }
  return parts;
}

function columnOf(table: ResolvedTable, field: string): ResolvedColumn {
  const column = table.byField.get(field);
  if (column === undefined) {
    throw new ValidationError('field', `name a column of ${table.table}`, field);
  }
  return column;
}

/** Returns the WHERE clause of a filter (`TRUE` when empty), appending its parameters. @internal */
export function whereClause<T>(
  table: ResolvedTable,
  where: Filter<T> | undefined,
  values: unknown[],
): string {
  if (where === undefined) return 'TRUE';
  const b = new Builder(values);
  const parts: string[] = [];
  for (const [field, value] of Object.entries(where)) {
    if (value === undefined) continue;
    parts.push(...condition(b, columnOf(table, field), value));
  }
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}

function checkCount(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new ValidationError(field, 'be a non-negative integer', value);
  }
}

/** Returns the SELECT of a query: filter, sort (ties by id, missing values last) and page. @internal */
export function selectQuery<T>(table: ResolvedTable, query: Query<T>): SqlFragment {
  checkCount('offset', query.offset);
  checkCount('limit', query.limit);
  const values: unknown[] = [];
  const where = whereClause(table, query.where, values);
  const order = (query.orderBy ?? []).map((key) => {
    const ref = columnRef(columnOf(table, key.field));
    return key.direction === 'desc' ? `${ref} DESC NULLS FIRST` : `${ref} ASC NULLS LAST`;
  });
  order.push(columnRef(columnOf(table, 'id')));
  let text = `SELECT ${table.selectList} FROM ${table.table} WHERE ${where} ORDER BY ${order.join(', ')}`;
  if (query.limit !== undefined) {
    values.push(query.limit);
    text += ` LIMIT $${values.length}`;
  }
  if (query.offset !== undefined && query.offset > 0) {
    values.push(query.offset);
    text += ` OFFSET $${values.length}`;
  }
  return { text, values };
}
