import { ValidationError } from '@qtp/core';

// Input checks shared by the risk measures; not part of the public API.

/** Throws unless `xs` is an array-like of at least `minimum` finite numbers. */
export function checkReturns(field: string, xs: unknown, minimum: number): ArrayLike<number> {
  const length = (xs as { length?: unknown } | null | undefined)?.length;
  if (typeof xs !== 'object' || xs === null || typeof length !== 'number') {
    throw new ValidationError(field, 'be an array of numbers', xs);
  }
  const series = xs as ArrayLike<unknown>;
  if (series.length === 0) throw new ValidationError(field, 'not be empty', 'an empty series');
  for (let i = 0; i < series.length; i++) {
    const x = series[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ValidationError(`${field}[${i}]`, 'be a finite number', x);
    }
  }
  if (series.length < minimum) {
    throw new ValidationError(
      field,
      `have at least ${minimum} points`,
      `a series of ${series.length}`,
    );
  }
  return series as ArrayLike<number>;
}

/** Throws unless `options` is an object whose keys are all in `known`. */
export function checkOptionKeys(options: unknown, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('options', 'be an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValidationError(key, `be a known option (${known.join(', ')})`, 'present');
    }
  }
}

/** Throws unless `confidence` is a number strictly between 0 and 1. */
export function checkConfidence(confidence: unknown): number {
  if (typeof confidence !== 'number' || !(confidence > 0 && confidence < 1)) {
    throw new ValidationError('confidence', 'be a number strictly between 0 and 1', confidence);
  }
  return confidence;
}

/** Throws unless `value` is absent or a finite number greater than 0; returns it or `fallback`. */
export function checkPositive(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a finite number greater than 0', value);
  }
  return value;
}

/** Throws unless `value` is absent or an integer of at least `minimum`; returns it or `fallback`. */
export function checkInteger(
  field: string,
  value: unknown,
  minimum: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new ValidationError(field, `be an integer of at least ${minimum}`, value);
  }
  return value;
}
