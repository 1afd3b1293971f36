import { ValidationError } from '@qtp/core';

// Internal helpers shared by every indicator; not part of the public API.

/** Throws a {@link ValidationError} unless `value` is an integer of at least `min`. */
export function checkPeriod(field: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `be an integer >= ${min}`, value);
  }
  return value;
}

/** Throws a {@link ValidationError} unless `value` is a finite number (zero and negatives allowed). */
export function checkFinite(field: string, value: number): number {
  if (!Number.isFinite(value)) throw new ValidationError(field, 'be a finite number', value);
  return value;
}

/** Throws a {@link ValidationError} unless `value` is a finite number above zero. */
export function checkPositive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a finite number > 0', value);
  }
  return value;
}

/** Throws a {@link ValidationError} unless `fast` is below `slow`. */
export function checkFastSlow(fast: number, slow: number): void {
  if (fast >= slow) throw new ValidationError('fast', `be less than slow (${slow})`, fast);
}

/** Throws unless every named series has the length of the first; returns that length. */
export function checkLengths(series: Readonly<Record<string, ArrayLike<number>>>): number {
  let first: string | undefined;
  let length = 0;
  for (const name in series) {
    const values = series[name];
    if (values === undefined || typeof values.length !== 'number') {
      throw new ValidationError(name, 'be an array of numbers', values);
    }
    if (first === undefined) {
      first = name;
      length = values.length;
    } else if (values.length !== length) {
      throw new ValidationError(name, `have the length of ${first} (${length})`, values.length);
    }
  }
  return length;
}

/** Returns a result array of `length` filled with NaN, the warm-up marker of batch outputs. */
export function nanArray(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}
