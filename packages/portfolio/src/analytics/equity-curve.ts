import { ValidationError } from '@qtp/core';
import { inferBarIntervalMs } from './periods-per-year.js';
import {
  checkEquityCurve,
  checkEquityValues,
  checkFinite,
  checkFiniteSeries,
  checkNumberAbove,
  checkTimes,
} from './validate.js';

/**
 * The value of an account or a strategy over time: `values[i]` is the equity, in any one
 * currency, observed at `times[i]`.
 *
 * Times are epoch milliseconds in strictly increasing order; values are finite and positive.
 */
export interface EquityCurve {
  /** Observation times, epoch milliseconds, strictly increasing. */
  readonly times: ArrayLike<number>;
  /** Equity at each time, finite and positive; the same length as `times`. */
  readonly values: ArrayLike<number>;
}

/**
 * Simple returns over time: `returns[i]` is the return of the period that ends at `times[i]`.
 *
 * Each return is a fraction (0.01 is 1 %), finite and greater than -1.
 */
export interface ReturnSeries {
  /** The end of each period, epoch milliseconds, strictly increasing. */
  readonly times: ArrayLike<number>;
  /** The simple return of each period; the same length as `times`. */
  readonly returns: ArrayLike<number>;
}

/** Options for {@link compoundReturns}. */
export interface CompoundReturnsOptions {
  /** The equity before the first return; 1 when omitted. */
  readonly initialValue?: number;
  /**
   * The start of the first period, epoch milliseconds; when omitted, the first end time minus
   * the bar interval (the median spacing of `times`).
   */
  readonly startTime?: number;
}

/**
 * Returns the simple returns of a series of values: `values[i] / values[i - 1] - 1`, one fewer
 * than there are values.
 *
 * @param values - equity values, finite and positive
 * @throws ValidationError when a value is not finite or not positive
 * @example
 * ```ts
 * import { simpleReturns } from '@qtp/portfolio';
 * simpleReturns([100, 110, 99]); // Float64Array [≈0.1, ≈-0.1]
 * ```
 */
export function simpleReturns(values: ArrayLike<number>): Float64Array {
  checkEquityValues(values);
  return returnsOf(values);
}

/** {@link simpleReturns} of values already checked. */
export function returnsOf(values: ArrayLike<number>): Float64Array {
  const returns = new Float64Array(Math.max(0, values.length - 1));
  for (let i = 1; i < values.length; i++) returns[i - 1] = values[i]! / values[i - 1]! - 1;
  return returns;
}

/**
 * Returns the equity curve that compounding a return series produces: the initial value at the
 * start time, then one value at the end of each period, so one more point than there are returns.
 *
 * @param series - the returns and the end time of each period
 * @param options - the initial value and the start time
 * @throws ValidationError when a return is not finite or not above -1, the times are not strictly
 *   increasing, the lengths differ, or the start time is missing for a series of fewer than two
 *   returns or is not before the first end time
 * @example
 * ```ts
 * import { compoundReturns } from '@qtp/portfolio';
 * const curve = compoundReturns({ times: [60_000, 120_000], returns: [0.5, -0.5] }, { initialValue: 100 });
 * // { times: [0, 60000, 120000], values: [100, 150, 75] } (as Float64Arrays)
 * ```
 */
export function compoundReturns(
  series: ReturnSeries,
  options: CompoundReturnsOptions = {},
): EquityCurve {
  checkTimes('times', series.times);
  checkFiniteSeries('returns', series.returns);
  const n = series.returns.length;
  if (n !== series.times.length) {
    throw new ValidationError(
      'returns',
      `have the same length as times (${series.times.length})`,
      `an array of length ${n}`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (series.returns[i]! <= -1) {
      throw new ValidationError(
        `returns[${i}]`,
        'be greater than -1: equity cannot fall to zero or below',
        series.returns[i],
      );
    }
  }
  const initialValue = options.initialValue ?? 1;
  checkNumberAbove('initialValue', initialValue, 0);
  const startTime = options.startTime ?? inferStartTime(series.times);
  checkFinite('startTime', startTime);
  if (n > 0 && startTime >= series.times[0]!) {
    throw new ValidationError('startTime', `be before times[0] (${series.times[0]})`, startTime);
  }
  const times = new Float64Array(n + 1);
  const values = new Float64Array(n + 1);
  times[0] = startTime;
  values[0] = initialValue;
  for (let i = 0; i < n; i++) {
    times[i + 1] = series.times[i]!;
    values[i + 1] = values[i]! * (1 + series.returns[i]!);
  }
  const curve = { times, values };
  // Compounding can underflow to zero after a long run of large losses.
  checkEquityCurve(curve);
  return curve;
}

function inferStartTime(times: ArrayLike<number>): number {
  const intervalMs = inferBarIntervalMs(times);
  if (intervalMs === null) {
    throw new ValidationError(
      'startTime',
      'be given when there are fewer than two returns',
      undefined,
    );
  }
  return times[0]! - intervalMs;
}
