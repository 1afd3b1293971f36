import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The relative strength index, `100 * avgGain / (avgGain + avgLoss)`, on a 0..100 scale.
 *
 * Gains and losses are the close-to-close changes, so the first input only sets the reference
 * close. Both averages are Wilder's ({@link WilderMA}: `alpha = 1 / period`), seeded with the
 * simple average of the first `period` changes; the first value comes at input `period + 1`.
 * This is TTR's default `RSI(price, n)` (`maType = "EMA", wilder = TRUE`) and Wilder's original
 * definition. Where the window has no gain and no loss at all, TTR returns NaN; this returns 50.
 * See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { RSI } from '@qtp/strategy';
 * const rsi = new RSI(2);
 * for (const close of [10, 11, 10.5]) rsi.update(close);
 * console.log(rsi.value); // 66.66666666666667: one gain of 1, one loss of 0.5
 * ```
 */
export class RSI implements Indicator<[value: number], number> {
  /** The smoothing period. */
  readonly period: number;
  private count = 0;
  private previous = 0;
  private gain = 0;
  private loss = 0;
  private current = Number.NaN;
  private undoPrevious = 0;
  private undoGain = 0;
  private undoLoss = 0;

  /**
   * Creates an RSI smoothed over `period` changes.
   * @param period - an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
  }

  /** Whether `period + 1` values have been seen. */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /** The current RSI, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count > this.period ? this.current : undefined;
  }

  /** Adds a close and returns the RSI, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const count = this.count++;
    const previous = this.previous;
    this.undoPrevious = previous;
    this.previous = value;
    if (count === 0) return undefined;
    const change = value - previous;
    const up = Math.max(change, 0);
    const down = change < 0 ? -change : 0;
    let gain = this.gain;
    let loss = this.loss;
    this.undoGain = gain;
    this.undoLoss = loss;
    const period = this.period;
    if (count > period) {
      gain += (up - gain) / period;
      loss += (down - loss) / period;
    } else {
      // During warm-up the averages hold running sums of the seed.
      gain += up;
      loss += down;
      if (count === period) {
        gain /= period;
        loss /= period;
      }
    }
    this.gain = gain;
    this.loss = loss;
    if (count < period) return undefined;
    const total = gain + loss;
    this.current = total > 0 ? (100 * gain) / total : 50;
    return this.current;
  }

  /** Revises the last close and returns the RSI as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.count === 0) return this.update(value);
    this.count--;
    this.previous = this.undoPrevious;
    this.gain = this.undoGain;
    this.loss = this.undoLoss;
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.count = 0;
    this.previous = 0;
    this.gain = 0;
    this.loss = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the relative strength index of `values` (0..100), NaN for the first `period` entries.
 * Computes the same numbers as {@link RSI}.
 *
 * @param values - the closes, a plain or typed array
 * @param period - an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { rsi } from '@qtp/strategy';
 * rsi([10, 11, 10.5], 2); // Float64Array [NaN, NaN, 66.66666666666667]
 * ```
 */
export function rsi(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('period', period);
  const n = values.length;
  const out = nanArray(n);
  // The same operations in the same order as RSI.update, with the state in locals.
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < n; i++) {
    const change = values[i]! - values[i - 1]!;
    const up = Math.max(change, 0);
    const down = change < 0 ? -change : 0;
    if (i > period) {
      gain += (up - gain) / period;
      loss += (down - loss) / period;
    } else {
      gain += up;
      loss += down;
      if (i < period) continue;
      gain /= period;
      loss /= period;
    }
    const total = gain + loss;
    out[i] = total > 0 ? (100 * gain) / total : 50;
  }
  return out;
}
