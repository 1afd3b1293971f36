import { ValidationError } from '@qtp/core';
import type { Entity, EntityId, Filter, Query } from './repository.js';

const OPERATORS = new Set(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn']);

function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isOperators(condition: unknown): condition is Record<string, unknown> {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
  const proto = Object.getPrototypeOf(condition);
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(condition);
  return keys.length > 0 && keys.every((key) => OPERATORS.has(key));
}

interface Comparable {
  comparedTo(other: unknown): number;
}

function isComparable(value: unknown): value is Comparable {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Comparable).comparedTo === 'function'
  );
}

/**
 * Compares two present field values: numbers and bigints numerically, strings by code unit,
 * dates by time, decimals with `comparedTo`, booleans false before true.
 */
function compareValues(a: unknown, b: unknown): number {
  if (isComparable(a)) return Math.sign(a.comparedTo(b));
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  if (
    typeof a === typeof b &&
    (typeof a === 'number' ||
      typeof a === 'bigint' ||
      typeof a === 'string' ||
      typeof a === 'boolean')
  ) {
    return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  }
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function equalValues(a: unknown, b: unknown): boolean {
  if (isNullish(a) || isNullish(b)) return isNullish(a) && isNullish(b);
  return compareValues(a, b) === 0;
}

function matchesCondition(value: unknown, condition: unknown): boolean {
  if (!isOperators(condition)) return equalValues(value, condition);
  for (const [operator, operand] of Object.entries(condition)) {
    if (operand === undefined) continue;
    switch (operator) {
      case 'eq':
        if (!equalValues(value, operand)) return false;
        break;
      case 'ne':
        if (equalValues(value, operand)) return false;
        break;
      case 'in':
        if (!(operand as readonly unknown[]).some((item) => equalValues(value, item))) return false;
        break;
      case 'notIn':
        if ((operand as readonly unknown[]).some((item) => equalValues(value, item))) return false;
        break;
      default: {
        // As in SQL, a missing value is neither greater nor less than anything.
        if (isNullish(value) || isNullish(operand)) return false;
        const order = compareValues(value, operand);
        if (operator === 'gt' && !(order > 0)) return false;
        if (operator === 'gte' && !(order >= 0)) return false;
        if (operator === 'lt' && !(order < 0)) return false;
        if (operator === 'lte' && !(order <= 0)) return false;
      }
    }
  }
  return true;
}

/** Returns true when `entity` satisfies every condition of `where`. */
export function matchesFilter<T>(entity: T, where: Filter<T> | undefined): boolean {
  if (where === undefined) return true;
  const record = entity as Record<string, unknown>;
  return Object.entries(where).every(
    ([field, condition]) => condition === undefined || matchesCondition(record[field], condition),
  );
}

function checkCount(field: string, value: number | undefined): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new ValidationError(field, 'be a non-negative integer', value);
  }
}

/** Filters, sorts (ties by id) and pages `entities` as {@link Query} describes. */
export function applyQuery<T extends Entity<EntityId>>(
  entities: Iterable<T>,
  query: Query<T> = {},
): T[] {
  checkCount('offset', query.offset);
  checkCount('limit', query.limit);
  const keys = query.orderBy ?? [];
  const matched = [...entities].filter((entity) => matchesFilter(entity, query.where));
  matched.sort((a, b) => {
    for (const key of keys) {
      const left = (a as Record<string, unknown>)[key.field];
      const right = (b as Record<string, unknown>)[key.field];
      let order: number;
      if (isNullish(left) || isNullish(right))
        order = isNullish(left) ? (isNullish(right) ? 0 : 1) : -1;
      else order = compareValues(left, right);
      if (order !== 0) return key.direction === 'desc' ? -order : order;
    }
    return compareValues(a.id, b.id);
  });
  const start = query.offset ?? 0;
  return matched.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
