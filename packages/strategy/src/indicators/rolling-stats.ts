import { RollingMoments } from './rolling-moments.js';
import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/** Options of {@link StdDev} and {@link stdDev}. */
export interface StdDevOptions {
  /** Divide by `period - 1` (sample) instead of `period` (population). Defaults to `false`. */
  sample?: boolean;
}

/**
 * The rolling standard deviation of the last `period` values: population (divisor `period`) by
 * default, sample (divisor `period - 1`) with `{ sample: true }`.
 *
 * The window's mean and squared deviations are updated with Welford's add/remove step rather than
 * a running sum of squares, which loses digits on long series and on values far from zero. The
 * result matches TTR's `runSD(x, n, sample)`. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { StdDev } from '@qtp/strategy';
 * const sd = new StdDev(4);
 * for (const value of [2, 4, 4, 4]) sd.update(value);
 * console.log(sd.update(5)); // 0.4330127018922193, of [4, 4, 4, 5]
 * ```
 */
export class StdDev implements Indicator<[value: number], number> {
  /** The window length. */
  readonly period: number;
  /** Whether the divisor is `period - 1`. */
  readonly sample: boolean;
  private readonly moments: RollingMoments;
  private current = Number.NaN;

  /**
   * Creates a rolling standard deviation.
   * @param period - the window length, an integer >= 1 (>= 2 for a sample deviation)
   * @param options - `sample` for the `period - 1` divisor
   * @throws {@link @qtp/core!ValidationError} when `period` is out of range
   */
  constructor(period: number, options: StdDevOptions = {}) {
    this.sample = options.sample ?? false;
    this.period = checkPeriod('period', period, this.sample ? 2 : 1);
    this.moments = new RollingMoments(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.moments.count === this.period;
  }

  /** The current deviation, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.moments.count === this.period ? this.current : undefined;
  }

  /** Adds a value and returns the deviation of the window, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const moments = this.moments;
    moments.push(value);
    if (moments.count < this.period) return undefined;
    this.current = Math.sqrt(this.sample ? moments.sampleVariance() : moments.variance());
    return this.current;
  }

  /** Revises the last value and returns the deviation as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.moments.count > 0) this.moments.pop();
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.moments.reset();
    this.current = Number.NaN;
  }
}

/**
 * The rolling z-score: how many population standard deviations the newest value lies from the
 * mean of the last `period` values (the newest included), `(x - mean) / sd`. A window whose
 * values are all equal scores 0. See {@link StdDev} for the update and {@link Indicator} for NaN
 * inputs.
 *
 * @example
 * ```ts
 * import { ZScore } from '@qtp/strategy';
 * const z = new ZScore(4);
 * for (const value of [1, 1, 1]) z.update(value);
 * console.log(z.update(5)); // 1.7320508075688772
 * ```
 */
export class ZScore implements Indicator<[value: number], number> {
  /** The window length. */
  readonly period: number;
  private readonly moments: RollingMoments;
  private current = Number.NaN;

  /**
   * Creates a rolling z-score.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.moments = new RollingMoments(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.moments.count === this.period;
  }

  /** The current z-score, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.moments.count === this.period ? this.current : undefined;
  }

  /** Adds a value and returns its z-score in the window, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const moments = this.moments;
    moments.push(value);
    if (moments.count < this.period) return undefined;
    const sd = Math.sqrt(moments.variance());
    this.current = sd > 0 ? (value - moments.mean) / sd : 0;
    return this.current;
  }

  /** Revises the last value and returns the z-score as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.moments.count > 0) this.moments.pop();
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.moments.reset();
    this.current = Number.NaN;
  }
}

/**
 * Returns the rolling standard deviation of `values`, NaN for the first `period - 1` entries.
 * Computes the same numbers as {@link StdDev}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1 (>= 2 for a sample deviation)
 * @param options - `sample` for the `period - 1` divisor
 * @throws {@link @qtp/core!ValidationError} when `period` is out of range
 * @example
 * ```ts
 * import { stdDev } from '@qtp/strategy';
 * stdDev([2, 4, 4, 4, 5], 4); // Float64Array [NaN, NaN, NaN, 0.8660254037844386, 0.4330127018922193]
 * ```
 */
export function stdDev(
  values: ArrayLike<number>,
  period: number,
  options: StdDevOptions = {},
): Float64Array {
  const indicator = new StdDev(period, options);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

/**
 * Returns the rolling z-score of `values`, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link ZScore}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { zScore } from '@qtp/strategy';
 * zScore([1, 1, 1, 5], 4); // Float64Array [NaN, NaN, NaN, 1.7320508075688772]
 * ```
 */
export function zScore(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new ZScore(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
