import { MinDeque } from './min-deque.js';
import type { Indicator } from './types.js';
import { checkPeriod, nanArray } from './validate.js';

/**
 * The lowest of the last `period` values (the newest included), kept in a monotonic deque: O(1)
 * amortized per update, O(period) at worst for one `replace`.
 *
 * Matches TTR's `runMin(x, n)`. A NaN input is the minimum while it is in the window, as with
 * `Math.min`.
 *
 * @example
 * ```ts
 * import { RollingMin } from '@qtp/strategy';
 * const low = new RollingMin(3);
 * for (const value of [5, 3, 4]) low.update(value);
 * console.log(low.update(6)); // 3
 * ```
 */
export class RollingMin implements Indicator<[value: number], number> {
  /** The window length. */
  readonly period: number;
  private readonly deque: MinDeque;

  /**
   * Creates a rolling minimum.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.deque = new MinDeque(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.deque.count >= this.period;
  }

  /** The current minimum, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.deque.count >= this.period ? this.deque.min : undefined;
  }

  /** Adds a value and returns the window's minimum, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const deque = this.deque;
    deque.push(value);
    return deque.count >= this.period ? deque.min : undefined;
  }

  /** Revises the last value and returns the minimum as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.deque.count > 0) this.deque.pop();
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.deque.reset();
  }
}

/**
 * The highest of the last `period` values (the newest included), kept in a monotonic deque: O(1)
 * amortized per update, O(period) at worst for one `replace`.
 *
 * Matches TTR's `runMax(x, n)`. A NaN input is the maximum while it is in the window, as with
 * `Math.max`.
 *
 * @example
 * ```ts
 * import { RollingMax } from '@qtp/strategy';
 * const high = new RollingMax(3);
 * for (const value of [5, 3, 4]) high.update(value);
 * console.log(high.update(2)); // 4
 * ```
 */
export class RollingMax implements Indicator<[value: number], number> {
  /** The window length. */
  readonly period: number;
  // The maximum is the negated minimum of the negated values.
  private readonly deque: MinDeque;

  /**
   * Creates a rolling maximum.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.deque = new MinDeque(period);
  }

  /** Whether `period` values have been seen. */
  get isReady(): boolean {
    return this.deque.count >= this.period;
  }

  /** The current maximum, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.deque.count >= this.period ? -this.deque.min : undefined;
  }

  /** Adds a value and returns the window's maximum, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const deque = this.deque;
    deque.push(-value);
    return deque.count >= this.period ? -deque.min : undefined;
  }

  /** Revises the last value and returns the maximum as if it had been added instead. */
  replace(value: number): number | undefined {
    if (this.deque.count > 0) this.deque.pop();
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.deque.reset();
  }
}

/**
 * Returns the rolling minimum of `values`, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link RollingMin}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { rollingMin } from '@qtp/strategy';
 * rollingMin([5, 3, 4, 6], 3); // Float64Array [NaN, NaN, 3, 3]
 * ```
 */
export function rollingMin(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new RollingMin(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

/**
 * Returns the rolling maximum of `values`, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link RollingMax}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { rollingMax } from '@qtp/strategy';
 * rollingMax([5, 3, 4, 2], 3); // Float64Array [NaN, NaN, 5, 4]
 * ```
 */
export function rollingMax(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new RollingMax(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
