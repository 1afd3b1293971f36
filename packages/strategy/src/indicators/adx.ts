import { WilderMA } from './ema.js';
import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, nanArray } from './validate.js';

/** One reading of {@link ADX}, each on a 0..100 scale. */
export interface AdxValue {
  /** The average directional index: trend strength, whatever its direction. */
  adx: number;
  /** +DI: the share of the true range made of upward movement. */
  plusDi: number;
  /** -DI: the share of the true range made of downward movement. */
  minusDi: number;
}

/** The three series {@link adx} returns, each as long as the input. */
export interface AdxResult {
  /** ADX, NaN for the first `2 * period - 1` entries. */
  adx: Float64Array;
  /** +DI, NaN for the first `period` entries. */
  plusDi: Float64Array;
  /** -DI, NaN for the first `period` entries. */
  minusDi: Float64Array;
}

/**
 * Wilder's average directional index with its directional indicators +DI and -DI.
 *
 * From the second bar on, the up move is `high - previousHigh` and the down move
 * `previousLow - low`; +DM is the up move when it is the larger and positive, -DM the down move
 * when it is the larger and positive, both 0 on a tie. +DM, -DM and the true range are summed
 * with Wilder's running sum `s = s * (period - 1) / period + x`; as in TTR's `wilderSum`, the
 * first sum is `(x1 + ... + x(period-1)) * (period - 1) / period + x(period)`. Then
 * `+DI = 100 * sum(+DM) / sum(TR)`, `DX = 100 * |+DI - -DI| / (+DI + -DI)`, and ADX is Wilder's
 * average of DX ({@link WilderMA}) seeded with the simple average of the first `period` DX values.
 * The DIs start at bar `period + 1`, ADX at bar `2 * period`.
 *
 * Follows TTR's `ADX(HLC, n)`. Where TTR divides zero by zero (no range, or no directional
 * movement) and returns NaN, this returns 0. See {@link Indicator} for NaN inputs.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { ADX } from '@qtp/strategy';
 * const adx = new ADX(14);
 * for (let i = 0; i < 40; i++) adx.update(100 + i + 1, 100 + i - 1, 100 + i);
 * console.log(adx.value); // { adx: 100, plusDi: ..., minusDi: 0 } on a steady rise
 * ```
 */
export class ADX implements Indicator<[high: number, low: number, close: number], AdxValue> {
  /** The smoothing period. */
  readonly period: number;
  private readonly decay: number;
  private readonly average: WilderMA;
  private readonly result: AdxValue = { adx: Number.NaN, plusDi: Number.NaN, minusDi: Number.NaN };
  private count = 0;
  private high = 0;
  private low = 0;
  private close = 0;
  private range = 0;
  private plus = 0;
  private minus = 0;
  private undoHigh = 0;
  private undoLow = 0;
  private undoClose = 0;
  private undoRange = 0;
  private undoPlus = 0;
  private undoMinus = 0;

  /**
   * Creates an ADX.
   * @param period - the smoothing period, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.decay = (period - 1) / period;
    this.average = new WilderMA(period);
  }

  /** Whether ADX is defined (from bar `2 * period` on). */
  get isReady(): boolean {
    return this.average.isReady;
  }

  /** The current reading (the shared result object), or `undefined` during warm-up. */
  get value(): AdxValue | undefined {
    return this.average.isReady ? this.result : undefined;
  }

  /** The latest +DI, defined from bar `period + 1` on (before ADX is), else `undefined`. */
  get plusDi(): number | undefined {
    return this.count > this.period ? this.result.plusDi : undefined;
  }

  /** The latest -DI, defined from bar `period + 1` on (before ADX is), else `undefined`. */
  get minusDi(): number | undefined {
    return this.count > this.period ? this.result.minusDi : undefined;
  }

  /** Adds a bar and returns the reading, or `undefined` during warm-up. */
  update(high: number, low: number, close: number): AdxValue | undefined {
    this.undoHigh = this.high;
    this.undoLow = this.low;
    this.undoClose = this.close;
    this.undoRange = this.range;
    this.undoPlus = this.plus;
    this.undoMinus = this.minus;
    return this.step(high, low, close, false);
  }

  /** Revises the last bar and returns the reading as if it had been added instead. */
  replace(high: number, low: number, close: number): AdxValue | undefined {
    if (this.count === 0) return this.update(high, low, close);
    this.count--;
    this.high = this.undoHigh;
    this.low = this.undoLow;
    this.close = this.undoClose;
    this.range = this.undoRange;
    this.plus = this.undoPlus;
    this.minus = this.undoMinus;
    return this.step(high, low, close, true);
  }

  /** Forgets every bar. */
  reset(): void {
    this.average.reset();
    this.count = 0;
    this.range = 0;
    this.plus = 0;
    this.minus = 0;
  }

  private step(high: number, low: number, close: number, replacing: boolean): AdxValue | undefined {
    const count = this.count++;
    const previousHigh = this.high;
    const previousLow = this.low;
    const previousClose = this.close;
    this.high = high;
    this.low = low;
    this.close = close;
    if (count === 0) return undefined;
    const up = high - previousHigh;
    const down = previousLow - low;
    const plusDm = up > down && up > 0 ? up : 0;
    const minusDm = down > up && down > 0 ? down : 0;
    const top = Math.max(high, previousClose);
    const bottom = Math.min(low, previousClose);
    // Wilder's running sums: no decay while the first period - 1 values accumulate.
    const decay = count < this.period ? 1 : this.decay;
    const range = this.range * decay + (top - bottom);
    const plus = this.plus * decay + plusDm;
    const minus = this.minus * decay + minusDm;
    this.range = range;
    this.plus = plus;
    this.minus = minus;
    if (count < this.period) return undefined;
    const plusDi = range > 0 ? (100 * plus) / range : 0;
    const minusDi = range > 0 ? (100 * minus) / range : 0;
    const total = plusDi + minusDi;
    const dx = total > 0 ? (100 * Math.abs(plusDi - minusDi)) / total : 0;
    const result = this.result;
    result.plusDi = plusDi;
    result.minusDi = minusDi;
    const smoothed = replacing ? this.average.replace(dx) : this.average.update(dx);
    if (smoothed === undefined) return undefined;
    result.adx = smoothed;
    return result;
  }
}

/**
 * Returns ADX, +DI and -DI of the bars. Computes the same numbers as {@link ADX}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param period - the smoothing period, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { adx } from '@qtp/strategy';
 * const highs = Array.from({ length: 40 }, (_, i) => 101 + i);
 * const lows = highs.map((h) => h - 2);
 * const closes = highs.map((h) => h - 1);
 * const { adx: strength, plusDi, minusDi } = adx(highs, lows, closes, 14);
 * console.log(strength[39], plusDi[39], minusDi[39]);
 * ```
 */
export function adx(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  period: number,
): AdxResult {
  const n = checkLengths({ high, low, close });
  const indicator = new ADX(period);
  const strength = nanArray(n);
  const plusDi = nanArray(n);
  const minusDi = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!);
    const plus = indicator.plusDi;
    if (plus === undefined) continue;
    plusDi[i] = plus;
    minusDi[i] = indicator.minusDi!;
    if (v !== undefined) strength[i] = v.adx;
  }
  return { adx: strength, plusDi, minusDi };
}
