import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, checkPositive, nanArray } from './validate.js';

/**
 * The commodity channel index: `(tp - SMA(tp)) / (c * meanDeviation(tp))` over the last `period`
 * bars, where `tp = (high + low + close) / 3` is the typical price, the mean deviation is the mean
 * absolute distance of the window's typical prices from their average, and `c` is Lambert's
 * 0.015.
 *
 * Follows TTR's `CCI(HLC, n, c = 0.015)`. The mean deviation is measured from the current
 * average, which moves with every bar, so it is recomputed over the window: an update costs
 * O(period), the one exception to O(1) among these indicators. A window of equal typical prices
 * (zero deviation) gives 0 where TTR gives NaN. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { CCI } from '@qtp/strategy';
 * const cci = new CCI(3);
 * cci.update(3, 1, 2);
 * cci.update(4, 2, 3);
 * console.log(cci.update(5, 3, 4)); // 100
 * ```
 */
export class CCI implements Indicator<[high: number, low: number, close: number], number> {
  /** The window length in bars. */
  readonly period: number;
  /** The scaling constant. */
  readonly constant: number;
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private sum = 0;
  private current = Number.NaN;
  private undoSum = 0;
  private undoOld = 0;

  /**
   * Creates a CCI.
   * @param period - the window length in bars, an integer >= 1
   * @param constant - the scaling constant, > 0; defaults to 0.015
   * @throws {@link @qtp/core!ValidationError} when `period` or `constant` is out of range
   */
  constructor(period: number, constant = 0.015) {
    this.period = checkPeriod('period', period);
    this.constant = checkPositive('constant', constant);
    this.window = new Float64Array(period);
  }

  /** Whether `period` bars have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current CCI, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** Adds a bar and returns the CCI, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): number | undefined {
    const tp = (high + low + close) / 3;
    const window = this.window;
    const slot = this.next;
    const old = window[slot]!;
    this.undoSum = this.sum;
    this.undoOld = old;
    window[slot] = tp;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    this.sum = this.sum + tp - old;
    if (++this.count < this.period) return undefined;
    const mean = this.sum / this.period;
    let deviation = 0;
    for (let i = 0; i < window.length; i++) deviation += Math.abs(window[i]! - mean);
    deviation /= this.period;
    this.current = deviation > 0 ? (tp - mean) / (this.constant * deviation) : 0;
    return this.current;
  }

  /** Revises the last bar and returns the CCI as if it had been added instead. */
  replace(high: number, low: number, close: number): number | undefined {
    if (this.count === 0) return this.update(high, low, close);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.window[slot] = this.undoOld;
    this.sum = this.undoSum;
    this.next = slot;
    this.count--;
    return this.update(high, low, close);
  }

  /** Forgets every bar. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.sum = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the commodity channel index of the bars, NaN for the first `period - 1` entries.
 * Computes the same numbers as {@link CCI}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param period - the window length in bars, an integer >= 1
 * @param constant - the scaling constant, > 0; defaults to 0.015
 * @throws {@link @qtp/core!ValidationError} when a parameter is out of range or the lengths differ
 * @example
 * ```ts
 * import { cci } from '@qtp/strategy';
 * cci([3, 4, 5], [1, 2, 3], [2, 3, 4], 3); // Float64Array [NaN, NaN, 100]
 * ```
 */
export function cci(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
  constant = 0.015,
): Float64Array {
  const n = checkLengths({ high, low, close });
  const indicator = new CCI(period, constant);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
