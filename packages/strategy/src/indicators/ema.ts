import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The exponential moving average with smoothing factor `alpha = 2 / (period + 1)`, seeded with
 * the simple average of the first `period` values, so the first value comes at the `period`-th
 * input.
 *
 * Follows TTR's `EMA(x, n)` (and `EMA(x, n, wilder = TRUE)` through {@link WilderMA}). See
 * {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { EMA } from '@qtp/strategy';
 * const ema = new EMA(3);
 * ema.update(1);
 * ema.update(2);
 * ema.update(3); // 2, the seed
 * console.log(ema.update(6)); // 4
 * ```
 */
export class EMA implements Indicator<[value: number], number> {
  /** The number of values in the seed, and the `period` in `alpha = 2 / (period + 1)`. */
  readonly period: number;
  /** The weight of the newest value. */
  readonly alpha: number;
  private readonly beta: number;
  private count = 0;
  private current = 0;
  private undo = 0;

  /**
   * Creates an EMA over `period` values.
   * @param period - an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.alpha = this.smoothing(period);
    this.beta = 1 - this.alpha;
  }

  /** Returns the weight of the newest value; {@link WilderMA} overrides it. */
  protected smoothing(period: number): number {
    return 2 / (period + 1);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current average, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** Adds a value and returns the average, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const count = ++this.count;
    const current = this.current;
    this.undo = current;
    if (count > this.period) {
      this.current = this.alpha * value + this.beta * current;
      return this.current;
    }
    // During warm-up `current` holds the running sum of the seed.
    this.current = current + value;
    if (count < this.period) return undefined;
    this.current /= this.period;
    return this.current;
  }

  /** Revises the last value and returns the average as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.count === 0) return this.update(value);
    this.count--;
    this.current = this.undo;
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.count = 0;
    this.current = 0;
  }
}

/**
 * Wilder's moving average (also called RMA or SMMA): an {@link EMA} with `alpha = 1 / period`,
 * seeded with the simple average of the first `period` values. It smooths RSI and ATR.
 *
 * Follows TTR's `EMA(x, n, wilder = TRUE)`.
 *
 * @example
 * ```ts
 * import { WilderMA } from '@qtp/strategy';
 * const rma = new WilderMA(2);
 * rma.update(1);
 * rma.update(3); // 2, the seed
 * console.log(rma.update(6)); // 4
 * ```
 */
export class WilderMA extends EMA {
  protected override smoothing(period: number): number {
    return 1 / period;
  }
}

/**
 * Returns the exponential moving average of `values`, NaN for the first `period - 1` entries.
 * Computes the same numbers as {@link EMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - an integer >= 1; `alpha = 2 / (period + 1)`
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { ema } from '@qtp/strategy';
 * ema([1, 2, 3, 6], 3); // Float64Array [NaN, NaN, 2, 4]
 * ```
 */
export function ema(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('period', period);
  const out = nanArray(values.length);
  emaInto(values, 0, period, 2 / (period + 1), out);
  return out;
}

/**
 * Returns Wilder's moving average of `values`, NaN for the first `period - 1` entries. Computes
 * the same numbers as {@link WilderMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - an integer >= 1; `alpha = 1 / period`
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { wilderMa } from '@qtp/strategy';
 * wilderMa([1, 3, 6], 2); // Float64Array [NaN, 2, 4]
 * ```
 */
export function wilderMa(values: ArrayLike<number>, period: number): Float64Array {
  checkPeriod('period', period);
  const out = nanArray(values.length);
  emaInto(values, 0, period, 1 / period, out);
  return out;
}

/**
 * Writes the seeded exponential average of `values[from..]` into `out[from..]`, with the same
 * operations in the same order as {@link EMA.update}, which keeps batch and streaming equal.
 */
export function emaInto(
  values: ArrayLike<number>,
  from: number,
  period: number,
  alpha: number,
  out: Float64Array,
): void {
  const beta = 1 - alpha;
  const n = values.length;
  const seeded = from + period - 1;
  let current = 0;
  for (let i = from; i < n && i < seeded; i++) current = current + values[i]!;
  if (seeded >= n) return;
  current = (current + values[seeded]!) / period;
  out[seeded] = current;
  for (let i = seeded + 1; i < n; i++) {
    current = alpha * values[i]! + beta * current;
    out[i] = current;
  }
}
