import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The rate of change in percent: `100 * (value / valuePeriodsAgo - 1)`. The first value comes at
 * input `period + 1`. A zero `valuePeriodsAgo` gives an infinite or NaN result.
 *
 * Equals `100 *` TTR's `ROC(x, n, type = "discrete")` (TTR's default is the log change). See
 * {@link Indicator} for NaN inputs; here a NaN only affects the outputs whose ratio involves it.
 *
 * @example
 * ```ts
 * import { ROC } from '@qtp/strategy';
 * const roc = new ROC(2);
 * roc.update(100);
 * roc.update(105);
 * console.log(roc.update(110)); // 10
 * ```
 */
export class ROC implements Indicator<[value: number], number> {
  /** How many inputs back the reference value is. */
  readonly period: number;
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private current = Number.NaN;
  private undoOld = 0;

  /**
   * Creates a rate of change.
   * @param period - how many inputs back to compare with, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.window = new Float64Array(period);
  }

  /** Whether `period + 1` values have been seen. */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /** The current rate of change in percent, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count > this.period ? this.current : undefined;
  }

  /** Adds a value and returns the percent change over `period` inputs, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const slot = this.next;
    const old = this.window[slot]!;
    this.undoOld = old;
    this.window[slot] = value;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    if (++this.count <= this.period) return undefined;
    this.current = 100 * (value / old - 1);
    return this.current;
  }

  /** Revises the last value and returns the rate of change as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.count === 0) return this.update(value);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.window[slot] = this.undoOld;
    this.next = slot;
    this.count--;
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the rate of change of `values` in percent, NaN for the first `period` entries.
 * Computes the same numbers as {@link ROC}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - how many inputs back to compare with, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { roc } from '@qtp/strategy';
 * roc([100, 105, 110], 2); // Float64Array [NaN, NaN, 10]
 * ```
 */
export function roc(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new ROC(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
