import { ValidationError } from '@qtp/core';

// Internal input checks shared by the analytics functions; not part of the public API. The
// parameter types are structural so this file imports nothing from its callers.

interface CurveLike {
  readonly times: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

interface TradeLike {
  readonly entryTime: number;
  readonly exitTime: number;
  readonly pnl: number;
}

function checkArrayLike(field: string, xs: unknown): asserts xs is ArrayLike<number> {
  const length = (xs as { length?: unknown } | null | undefined)?.length;
  if (typeof xs !== 'object' || xs === null || typeof length !== 'number') {
    throw new ValidationError(field, 'be an array of numbers', xs);
  }
}

/** Throws unless every element of `xs` is a finite number. */
export function checkFiniteSeries(field: string, xs: ArrayLike<number>): void {
  checkArrayLike(field, xs);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new ValidationError(`${field}[${i}]`, 'be a finite number', x);
    }
  }
}

/** Throws unless `times` are finite epoch milliseconds in strictly increasing order. */
export function checkTimes(field: string, times: ArrayLike<number>): void {
  checkFiniteSeries(field, times);
  for (let i = 1; i < times.length; i++) {
    const previous = times[i - 1]!;
    if (times[i]! <= previous) {
      throw new ValidationError(
        `${field}[${i}]`,
        `be greater than ${field}[${i - 1}] (${previous}): times must be strictly increasing`,
        times[i],
      );
    }
  }
}

/** Throws unless the curve has sorted times and positive, finite values of the same length. */
export function checkEquityCurve(curve: CurveLike): void {
  if (typeof curve !== 'object' || curve === null) {
    throw new ValidationError('curve', 'be an object with times and values', curve);
  }
  checkTimes('times', curve.times);
  checkEquityValues(curve.values);
  if (curve.values.length !== curve.times.length) {
    throw new ValidationError(
      'values',
      `have the same length as times (${curve.times.length})`,
      `an array of length ${curve.values.length}`,
    );
  }
}

/** Throws unless every equity value is finite and positive. */
export function checkEquityValues(values: ArrayLike<number>): void {
  checkFiniteSeries('values', values);
  for (let i = 0; i < values.length; i++) {
    if (values[i]! <= 0) {
      throw new ValidationError(
        `values[${i}]`,
        'be positive: equity cannot fall to zero or below',
        values[i],
      );
    }
  }
}

/** Throws unless every trade has finite times with the exit not before the entry, and a finite P&L. */
export function checkTrades(trades: readonly TradeLike[]): void {
  if (!Array.isArray(trades))
    throw new ValidationError('trades', 'be an array of closed trades', trades);
  trades.forEach((trade, i) => {
    if (typeof trade !== 'object' || trade === null) {
      throw new ValidationError(
        `trades[${i}]`,
        'be an object with entryTime, exitTime and pnl',
        trade,
      );
    }
    for (const key of ['entryTime', 'exitTime', 'pnl'] as const) {
      if (typeof trade[key] !== 'number' || !Number.isFinite(trade[key])) {
        throw new ValidationError(`trades[${i}].${key}`, 'be a finite number', trade[key]);
      }
    }
    if (trade.exitTime < trade.entryTime) {
      throw new ValidationError(
        `trades[${i}].exitTime`,
        `not be before entryTime (${trade.entryTime})`,
        trade.exitTime,
      );
    }
  });
}

/** Throws unless `value` is a finite number above `min` (exclusive). */
export function checkNumberAbove(field: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= min) {
    throw new ValidationError(field, `be a finite number greater than ${min}`, value);
  }
}

/** Throws unless `value` is a finite number. */
export function checkFinite(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError(field, 'be a finite number', value);
  }
}

/**
 * Returns `xs` in the shape simple-statistics is typed for. An array or a typed array is passed
 * as it is, not copied: the functions used here only read `length` and indices (and `quantile`
 * slices), which a typed array has too, and copying a million-point curve cost more than the
 * statistic itself. Other array-likes are copied.
 */
export function asNumberArray(xs: ArrayLike<number>): readonly number[] {
  if (Array.isArray(xs) || (ArrayBuffer.isView(xs) && !(xs instanceof DataView))) {
    return xs as readonly number[];
  }
  return Array.from(xs);
}

/**
 * Throws unless `options` is an object (or omitted) whose keys are all in `known`; names the
 * first unknown key, so a misspelt option is not silently ignored.
 */
export function checkOptionKeys(options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('options', 'be an object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValidationError(key, `be a known option (${known.join(', ')})`, 'present');
    }
  }
}
