import { WilderMA } from './ema.js';
import type { Indicator } from './types.js';
import { checkLengths, nanArray } from './validate.js';

/**
 * The average true range: Wilder's average ({@link WilderMA}, `alpha = 1 / period`) of the true
 * range `max(high, previousClose) - min(low, previousClose)`, seeded with the simple average of
 * the first `period` true ranges.
 *
 * Follows TTR's `ATR(HLC, n)`: the first bar has no previous close and so no true range, which
 * puts the first value at bar `period + 1`. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { ATR } from '@qtp/strategy';
 * const atr = new ATR(2);
 * atr.update(10, 8, 9);
 * atr.update(11, 9, 10); // true range 2
 * console.log(atr.update(13, 10, 12)); // 2.5: true ranges 2 and 3
 * ```
 */
export class ATR implements Indicator<[high: number, low: number, close: number], number> {
  /** The smoothing period. */
  readonly period: number;
  private readonly average: WilderMA;
  private count = 0;
  private previousClose = 0;
  private undoPreviousClose = 0;

  /**
   * Creates an ATR.
   * @param period - the smoothing period, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.average = new WilderMA(period);
    this.period = period;
  }

  /** Whether `period + 1` bars have been seen. */
  get isReady(): boolean {
    return this.average.isReady;
  }

  /** The current ATR, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.average.value;
  }

  /** Adds a bar and returns the ATR, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): number | undefined {
    const previous = this.previousClose;
    this.undoPreviousClose = previous;
    this.previousClose = close;
    if (this.count++ === 0) return undefined;
    const top = Math.max(high, previous);
    const bottom = Math.min(low, previous);
    return this.average.update(top - bottom);
  }

  /** Revises the last bar and returns the ATR as if it had been added instead. */
  replace(high: number, low: number, close: number): number | undefined {
    if (this.count <= 1) {
      this.count = 0;
      return this.update(high, low, close);
    }
    const previous = this.undoPreviousClose;
    this.previousClose = close;
    const top = Math.max(high, previous);
    const bottom = Math.min(low, previous);
    return this.average.replace(top - bottom);
  }

  /** Forgets every bar. */
  reset(): void {
    this.average.reset();
    this.count = 0;
    this.previousClose = 0;
  }
}

/**
 * Returns the average true range of the bars, NaN for the first `period` entries. Computes the
 * same numbers as {@link ATR}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param period - the smoothing period, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { atr } from '@qtp/strategy';
 * atr([10, 11, 13], [8, 9, 10], [9, 10, 12], 2); // Float64Array [NaN, NaN, 2.5]
 * ```
 */
export function atr(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = checkLengths({ high, low, close });
  const indicator = new ATR(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
