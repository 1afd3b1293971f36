import { measureWindow } from './rolling-moments.js';
import type { Indicator } from './types.js';
import { checkPeriod, checkPositive, nanArray } from './validate.js';

/** One reading of a channel or band indicator: {@link BollingerBands}, {@link Donchian}, {@link Keltner}. */
export interface BandsValue {
  /** The upper band. */
  upper: number;
  /** The middle line. */
  middle: number;
  /** The lower band. */
  lower: number;
}

/** The three series a band function returns ({@link bollinger}, {@link donchian}, {@link keltner}), each as long as the input. */
export interface BandsResult {
  /** The upper band, NaN during warm-up. */
  upper: Float64Array;
  /** The middle line, NaN during warm-up. */
  middle: Float64Array;
  /** The lower band, NaN during warm-up. */
  lower: Float64Array;
}

// Scratch output of measureWindow for BollingerBands.update, read right after each call.
const remeasured = { mean: 0, m2: 0 };

/**
 * Bollinger Bands: the simple average of the last `period` values, and bands `k` population
 * standard deviations above and below it.
 *
 * Follows TTR's `BBands(x, n, sd = k)`, which also uses the population deviation. The deviation
 * is kept with Welford's add/remove update (see {@link StdDev}). See {@link Indicator} for NaN
 * inputs.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { BollingerBands } from '@qtp/strategy';
 * const bands = new BollingerBands(4, 2);
 * for (const close of [2, 4, 4, 4]) bands.update(close);
 * console.log(bands.value); // { upper: 5.232050807568877, middle: 3.5, lower: 1.7679491924311228 }
 * ```
 */
export class BollingerBands implements Indicator<[value: number], BandsValue> {
  /** The window length. */
  readonly period: number;
  /** The band width in standard deviations. */
  readonly k: number;
  private readonly result: BandsValue = {
    upper: Number.NaN,
    middle: Number.NaN,
    lower: Number.NaN,
  };
  // The rolling moments are kept in own fields rather than in a RollingMoments object: the same
  // operations in the same order as RollingMoments.push, without a call and a field hop through
  // another object on every update.
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private mean = 0;
  private m2 = 0;
  // What the last update overwrote, so that replace() can undo it exactly.
  private undoMean = 0;
  private undoM2 = 0;
  private undoOld = 0;
  private undoCount = 0;

  /**
   * Creates Bollinger Bands.
   * @param period - the window length, an integer >= 1
   * @param k - the band width in standard deviations, a finite number > 0; defaults to 2
   * @throws {@link @qtp/core!ValidationError} when `period` or `k` is out of range
   */
  constructor(period: number, k = 2) {
    this.period = checkPeriod('period', period);
    this.k = checkPositive('k', k);
    this.window = new Float64Array(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.count === this.period;
  }

  /** The current bands (the shared result object), or `undefined` during warm-up. */
  get value(): BandsValue | undefined {
    return this.count === this.period ? this.result : undefined;
  }

  /** Adds a value and returns the bands, or `undefined` during warm-up. */
  update(value: number): BandsValue | undefined {
    const period = this.period;
    const window = this.window;
    const slot = this.next;
    const old = window[slot]!;
    let mean = this.mean;
    let m2 = this.m2;
    const count = this.count;
    this.undoMean = mean;
    this.undoM2 = m2;
    this.undoOld = old;
    this.undoCount = count;
    window[slot] = value;
    const next = slot + 1 === period ? 0 : slot + 1;
    this.next = next;
    if (count < period) {
      this.count = count + 1;
      const delta = value - mean;
      const updated = mean + delta / (count + 1);
      m2 += delta * (value - updated);
      mean = updated;
      this.mean = mean;
      this.m2 = m2;
      if (count + 1 < period) return undefined;
    } else {
      const delta = value - old;
      const updated = mean + delta / count;
      m2 += delta * (value - updated + old - mean);
      mean = updated;
      if (next === 0) {
        // The ring wrapped: re-measure it, as RollingMoments.push does.
        measureWindow(window, 0, period, remeasured);
        mean = remeasured.mean;
        m2 = remeasured.m2;
      }
      this.mean = mean;
      this.m2 = m2;
    }
    // Ready means count === period, so this is RollingMoments.variance() with the count folded.
    const width = this.k * Math.sqrt(Math.max(m2 / period, 0));
    const result = this.result;
    result.upper = mean + width;
    result.middle = mean;
    result.lower = mean - width;
    return result;
  }

  /** Revises the last value and returns the bands as if it had been added instead. */
  replace(value: number): BandsValue | undefined {
    if (this.count > 0) {
      const slot = this.next === 0 ? this.period - 1 : this.next - 1;
      this.window[slot] = this.undoOld;
      this.next = slot;
      this.mean = this.undoMean;
      this.m2 = this.undoM2;
      this.count = this.undoCount;
    }
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }
}

/**
 * Returns Bollinger Bands of `values`, NaN for the first `period - 1` entries. Computes the same
 * numbers as {@link BollingerBands}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @param k - the band width in population standard deviations, > 0; defaults to 2
 * @throws {@link @qtp/core!ValidationError} when `period` or `k` is out of range
 * @example
 * ```ts
 * import { bollinger } from '@qtp/strategy';
 * const { upper, middle, lower } = bollinger([2, 4, 4, 4, 5], 4, 2);
 * console.log(upper[4], middle[4], lower[4]); // 5.116025403784438 4.25 3.383974596215562
 * ```
 */
export function bollinger(values: ArrayLike<number>, period: number, k = 2): BandsResult {
  checkPeriod('period', period);
  checkPositive('k', k);
  const n = values.length;
  const upper = nanArray(n);
  const middle = nanArray(n);
  const lower = nanArray(n);
  // The same operations in the same order as BollingerBands.update, reading the window from the
  // array instead of a ring.
  const measured = { mean: 0, m2: 0 };
  let mean = 0;
  let m2 = 0;
  let slot = 0; // where the ring would write next: (i + 1) % period after input i
  for (let i = 0; i < n; i++) {
    slot = slot + 1 === period ? 0 : slot + 1;
    const x = values[i]!;
    if (i < period) {
      const delta = x - mean;
      const next = mean + delta / (i + 1);
      m2 += delta * (x - next);
      mean = next;
      if (i < period - 1) continue;
    } else {
      const old = values[i - period]!;
      const delta = x - old;
      const next = mean + delta / period;
      m2 += delta * (x - next + old - mean);
      mean = next;
      if (slot === 0) {
        measureWindow(values, i + 1 - period, period, measured);
        mean = measured.mean;
        m2 = measured.m2;
      }
    }
    const variance = m2 / period;
    const width = k * Math.sqrt(Math.max(variance, 0));
    upper[i] = mean + width;
    middle[i] = mean;
    lower[i] = mean - width;
  }
  return { upper, middle, lower };
}
