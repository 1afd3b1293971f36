import { ATR } from './atr.js';
import type { BandsResult, BandsValue } from './bollinger.js';
import { EMA } from './ema.js';
import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, checkPositive, nanArray } from './validate.js';

/**
 * The Keltner channel in its common modern form: the middle line is the {@link EMA} of the close
 * over `period`, and the bands lie `multiplier` times the {@link ATR} over `atrPeriod` above and
 * below it. It is ready once both are (bar `max(period, atrPeriod + 1)`).
 *
 * TTR has no Keltner channel; the tests compose TTR's `EMA` and `ATR` to check it. See
 * {@link Indicator} for NaN inputs.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { Keltner } from '@qtp/strategy';
 * const keltner = new Keltner(20, 2, 10);
 * for (let i = 0; i < 30; i++) keltner.update(101 + i, 99 + i, 100 + i);
 * console.log(keltner.value?.upper);
 * ```
 */
export class Keltner implements Indicator<[high: number, low: number, close: number], BandsValue> {
  /** The EMA period of the middle line. */
  readonly period: number;
  /** The band width in ATRs. */
  readonly multiplier: number;
  /** The ATR period. */
  readonly atrPeriod: number;
  private readonly middle: EMA;
  private readonly range: ATR;
  private readonly result: BandsValue = {
    upper: Number.NaN,
    middle: Number.NaN,
    lower: Number.NaN,
  };

  /**
   * Creates a Keltner channel.
   * @param period - the EMA period, an integer >= 1; defaults to 20
   * @param multiplier - the band width in ATRs, > 0; defaults to 2
   * @param atrPeriod - the ATR period, an integer >= 1; defaults to 10
   * @throws {@link @qtp/core!ValidationError} when a parameter is out of range
   */
  constructor(period = 20, multiplier = 2, atrPeriod = 10) {
    this.period = checkPeriod('period', period);
    this.multiplier = checkPositive('multiplier', multiplier);
    this.atrPeriod = checkPeriod('atrPeriod', atrPeriod);
    this.middle = new EMA(period);
    this.range = new ATR(atrPeriod);
  }

  /** Whether both the EMA and the ATR are defined. */
  get isReady(): boolean {
    return this.middle.isReady && this.range.isReady;
  }

  /** The current channel (the shared result object), or `undefined` during warm-up. */
  get value(): BandsValue | undefined {
    return this.isReady ? this.result : undefined;
  }

  /** Adds a bar and returns the channel, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): BandsValue | undefined {
    return this.finish(this.middle.update(close), this.range.update(high, low, close));
  }

  /** Revises the last bar and returns the channel as if it had been added instead. */
  replace(high: number, low: number, close: number): BandsValue | undefined {
    return this.finish(this.middle.replace(close), this.range.replace(high, low, close));
  }

  /** Forgets every bar. */
  reset(): void {
    this.middle.reset();
    this.range.reset();
  }

  private finish(middle: number | undefined, range: number | undefined): BandsValue | undefined {
    if (middle === undefined || range === undefined) return undefined;
    const width = this.multiplier * range;
    const result = this.result;
    result.upper = middle + width;
    result.middle = middle;
    result.lower = middle - width;
    return result;
  }
}

/**
 * Returns the Keltner channel of the bars, NaN until both the EMA and the ATR are defined.
 * Computes the same numbers as {@link Keltner}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param period - the EMA period, an integer >= 1; defaults to 20
 * @param multiplier - the band width in ATRs, > 0; defaults to 2
 * @param atrPeriod - the ATR period, an integer >= 1; defaults to 10
 * @throws {@link @qtp/core!ValidationError} when a parameter is out of range or the lengths differ
 * @example
 * ```ts
 * import { keltner } from '@qtp/strategy';
 * const closes = Array.from({ length: 30 }, (_, i) => 100 + i);
 * const { upper, middle, lower } = keltner(closes.map((c) => c + 1), closes.map((c) => c - 1), closes);
 * console.log(upper[29], middle[29], lower[29]);
 * ```
 */
export function keltner(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period = 20,
  multiplier = 2,
  atrPeriod = 10,
): BandsResult {
  const n = checkLengths({ high, low, close });
  const indicator = new Keltner(period, multiplier, atrPeriod);
  const upper = nanArray(n);
  const middle = nanArray(n);
  const lower = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    if (v === undefined) continue;
    upper[i] = v.upper;
    middle[i] = v.middle;
    lower[i] = v.lower;
  }
  return { upper, middle, lower };
}
