import type { BandsResult, BandsValue } from './bollinger.js';
import { MinDeque } from './min-deque.js';
import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, nanArray } from './validate.js';

/**
 * The Donchian channel: the highest high and the lowest low of the last `period` bars, the
 * current bar included, and their midpoint. Monotonic deques keep both extremes in O(1)
 * amortized per update.
 *
 * Follows TTR's `DonchianChannel(cbind(high, low), n, include.lag = FALSE)`. Use the previous
 * bar's reading for a breakout test, since the current bar can never close outside its own
 * channel. A NaN input is the extreme while it is in the window.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { Donchian } from '@qtp/strategy';
 * const channel = new Donchian(2);
 * channel.update(10, 8);
 * console.log(channel.update(12, 9)); // { upper: 12, middle: 10, lower: 8 }
 * ```
 */
export class Donchian implements Indicator<[high: number, low: number], BandsValue> {
  /** The number of bars in the window. */
  readonly period: number;
  // The highs are stored negated: the maximum is the negated minimum.
  private readonly highs: MinDeque;
  private readonly lows: MinDeque;
  private readonly result: BandsValue = {
    upper: Number.NaN,
    middle: Number.NaN,
    lower: Number.NaN,
  };

  /**
   * Creates a Donchian channel.
   * @param period - the number of bars, an integer >= 1
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

  /** The current channel (the shared result object), or `undefined` during warm-up. */
  get value(): BandsValue | undefined {
    return this.lows.count >= this.period ? this.result : undefined;
  }

  /** Adds a bar and returns the channel, or `undefined` during warm-up. */
  update(high: number, low: number): BandsValue | undefined {
    this.highs.push(-high);
    this.lows.push(low);
    if (this.lows.count < this.period) return undefined;
    const result = this.result;
    const upper = -this.highs.min;
    const lower = this.lows.min;
    result.upper = upper;
    result.middle = (upper + lower) / 2;
    result.lower = lower;
    return result;
  }

  /** Revises the last bar and returns the channel as if it had been added instead. */
  replace(high: number, low: number): BandsValue | undefined {
    if (this.lows.count > 0) {
      this.highs.pop();
      this.lows.pop();
    }
    return this.update(high, low);
  }

  /** Forgets every bar. */
  reset(): void {
    this.highs.reset();
    this.lows.reset();
  }
}

/**
 * Returns the Donchian channel of the bars, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link Donchian}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param period - the number of bars, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { donchian } from '@qtp/strategy';
 * const { upper, lower } = donchian([10, 12, 11], [8, 9, 10], 2);
 * console.log(upper, lower); // Float64Array [NaN, 12, 12] Float64Array [NaN, 8, 9]
 * ```
 */
export function donchian(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  period: number,
): BandsResult {
  const n = checkLengths({ high, low });
  const indicator = new Donchian(period);
  const upper = nanArray(n);
  const middle = nanArray(n);
  const lower = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!);
    if (v === undefined) continue;
    upper[i] = v.upper;
    middle[i] = v.middle;
    lower[i] = v.lower;
  }
  return { upper, middle, lower };
}
