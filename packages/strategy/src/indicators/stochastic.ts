import { MinDeque } from './min-deque.js';
import { SMA } from './sma.js';
import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, nanArray } from './validate.js';

/** One reading of {@link Stochastic}. */
export interface StochasticValue {
  /** %K: where the close lies in the range of the last `kPeriod` bars, 0..100. */
  k: number;
  /** %D: the simple average of the last `dPeriod` %K values. */
  d: number;
}

/** The two series {@link stochastic} returns, each as long as the input. */
export interface StochasticResult {
  /** %K, NaN for the first `kPeriod - 1` entries. */
  k: Float64Array;
  /** %D, NaN for the first `kPeriod + dPeriod - 2` entries. */
  d: Float64Array;
}

/**
 * The stochastic oscillator: raw (fast) %K, `100 * (close - lowestLow) / (highestHigh -
 * lowestLow)` over the last `kPeriod` bars with the current one included, and %D, a simple
 * average of %K over `dPeriod`. A bar range of zero gives %K = 50.
 *
 * Follows TTR's `stoch(HLC, nFastK = kPeriod, nFastD = dPeriod)` (its `fastK` and `fastD`,
 * scaled by 100), including 50 for a zero range. See {@link Indicator} for NaN inputs.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { Stochastic } from '@qtp/strategy';
 * const stoch = new Stochastic(2, 2);
 * stoch.update(10, 8, 9);
 * stoch.update(12, 9, 11);
 * console.log(stoch.update(12, 10, 12)); // { k: 100, d: 87.5 }
 * ```
 */
export class Stochastic
  implements Indicator<[high: number, low: number, close: number], StochasticValue>
{
  /** The number of bars %K looks back over. */
  readonly kPeriod: number;
  /** The number of %K values %D averages. */
  readonly dPeriod: number;
  private readonly highs: MinDeque;
  private readonly lows: MinDeque;
  private readonly average: SMA;
  private readonly result: StochasticValue = { k: Number.NaN, d: Number.NaN };

  /**
   * Creates a stochastic oscillator.
   * @param kPeriod - the %K look-back in bars, an integer >= 1
   * @param dPeriod - the %D averaging period, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when a period is not an integer >= 1
   */
  constructor(kPeriod: number, dPeriod: number) {
    this.kPeriod = checkPeriod('kPeriod', kPeriod);
    this.dPeriod = checkPeriod('dPeriod', dPeriod);
    this.highs = new MinDeque(kPeriod);
    this.lows = new MinDeque(kPeriod);
    this.average = new SMA(dPeriod);
  }

  /** Whether %D is defined. */
  get isReady(): boolean {
    return this.average.isReady;
  }

  /** The current reading (the shared result object), or `undefined` during warm-up. */
  get value(): StochasticValue | undefined {
    return this.average.isReady ? this.result : undefined;
  }

  /** The latest %K, defined from the `kPeriod`-th bar on (before %D is), else `undefined`. */
  get k(): number | undefined {
    return this.lows.count >= this.kPeriod ? this.result.k : undefined;
  }

  /** Adds a bar and returns the reading, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): StochasticValue | undefined {
    const k = this.rawK(high, low, close);
    if (k === undefined) return undefined;
    return this.finish(k, this.average.update(k));
  }

  /** Revises the last bar and returns the reading as if it had been added instead. */
  replace(high: number, low: number, close: number): StochasticValue | undefined {
    if (this.lows.count === 0) return this.update(high, low, close);
    this.highs.pop();
    this.lows.pop();
    const k = this.rawK(high, low, close);
    // %D was fed by the last update exactly when %K was defined.
    if (k === undefined) return undefined;
    return this.finish(k, this.average.replace(k));
  }

  /** Forgets every bar. */
  reset(): void {
    this.highs.reset();
    this.lows.reset();
    this.average.reset();
  }

  /** Pushes a bar and returns %K, or `undefined` while fewer than `kPeriod` bars were seen. */
  private rawK(high: number, low: number, close: number): number | undefined {
    this.highs.push(-high);
    this.lows.push(low);
    if (this.lows.count < this.kPeriod) return undefined;
    const highest = -this.highs.min;
    const lowest = this.lows.min;
    const range = highest - lowest;
    this.result.k = range === 0 ? 50 : (100 * (close - lowest)) / range;
    return this.result.k;
  }

  private finish(k: number, d: number | undefined): StochasticValue | undefined {
    if (d === undefined) return undefined;
    this.result.k = k;
    this.result.d = d;
    return this.result;
  }
}

/**
 * Williams %R: `-100 * (highestHigh - close) / (highestHigh - lowestLow)` over the last `period`
 * bars with the current one included, on a -100..0 scale (0 at the high, -100 at the low). A bar
 * range of zero gives -50.
 *
 * Matches `-100 *` TTR's `WPR(HLC, n)` (whose 0..1 scale runs the other way), including its
 * midpoint for a zero range. A NaN input gives NaN while it is in the window.
 *
 * @example
 * ```ts
 * import { WilliamsR } from '@qtp/strategy';
 * const wr = new WilliamsR(2);
 * wr.update(10, 8, 9);
 * console.log(wr.update(12, 9, 11)); // -25
 * ```
 */
export class WilliamsR implements Indicator<[high: number, low: number, close: number], number> {
  /** The look-back in bars. */
  readonly period: number;
  private readonly highs: MinDeque;
  private readonly lows: MinDeque;
  private current = Number.NaN;

  /**
   * Creates a Williams %R.
   * @param period - the look-back in bars, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.highs = new MinDeque(period);
    this.lows = new MinDeque(period);
  }

  /** Whether `period` bars have been seen. */
  get isReady(): boolean {
    return this.lows.count >= this.period;
  }

  /** The current %R, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.lows.count >= this.period ? this.current : undefined;
  }

  /** Adds a bar and returns %R, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): number | undefined {
    this.highs.push(-high);
    this.lows.push(low);
    if (this.lows.count < this.period) return undefined;
    const highest = -this.highs.min;
    const range = highest - this.lows.min;
    this.current = range === 0 ? -50 : (-100 * (highest - close)) / range;
    return this.current;
  }

  /** Revises the last bar and returns %R as if it had been added instead. */
  replace(high: number, low: number, close: number): number | undefined {
    if (this.lows.count > 0) {
      this.highs.pop();
      this.lows.pop();
    }
    return this.update(high, low, close);
  }

  /** Forgets every bar. */
  reset(): void {
    this.highs.reset();
    this.lows.reset();
  }
}

/**
 * Returns the stochastic oscillator's %K and %D for the bars. Computes the same numbers as
 * {@link Stochastic}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param kPeriod - the %K look-back in bars, an integer >= 1
 * @param dPeriod - the %D averaging period, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when a period is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { stochastic } from '@qtp/strategy';
 * const { k, d } = stochastic([10, 12, 12], [8, 9, 10], [9, 11, 12], 2, 2);
 * console.log(k, d); // Float64Array [NaN, 75, 100] Float64Array [NaN, NaN, 87.5]
 * ```
 */
export function stochastic(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  kPeriod: number,
  dPeriod: number,
): StochasticResult {
  const n = checkLengths({ high, low, close });
  const indicator = new Stochastic(kPeriod, dPeriod);
  const k = nanArray(n);
  const d = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    // %K is defined before %D, so it is read separately.
    const raw = indicator.k;
    if (raw !== undefined) k[i] = raw;
    if (v !== undefined) d[i] = v.d;
  }
  return { k, d };
}

/**
 * Returns Williams %R (-100..0) of the bars, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link WilliamsR}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param period - the look-back in bars, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { williamsR } from '@qtp/strategy';
 * williamsR([10, 12], [8, 9], [9, 11], 2); // Float64Array [NaN, -25]
 * ```
 */
export function williamsR(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = checkLengths({ high, low, close });
  const indicator = new WilliamsR(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
