import { EMA } from './ema.js';
import type { Indicator } from './types.js';
import { nanArray } from './validate.js';

/**
 * The double exponential moving average, `2 * EMA(x) - EMA(EMA(x))`, each {@link EMA} seeded with
 * the simple average of its first `period` inputs, so the first value comes at input
 * `2 * period - 1`.
 *
 * Follows TTR's `DEMA(x, n)` (with `v = 1`). See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { DEMA } from '@qtp/strategy';
 * const dema = new DEMA(2);
 * for (const value of [1, 2, 3]) dema.update(value);
 * console.log(dema.value); // 3: it follows a straight line without lag
 * ```
 */
export class DEMA implements Indicator<[value: number], number> {
  /** The period of both EMAs. */
  readonly period: number;
  private readonly first: EMA;
  private readonly second: EMA;
  private current = Number.NaN;

  /**
   * Creates a DEMA whose two EMAs have `period`.
   * @param period - an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.first = new EMA(period);
    this.second = new EMA(period);
    this.period = period;
  }

  /** Whether `2 * period - 1` values have been seen. */
  get isReady(): boolean {
    return this.second.isReady;
  }

  /** The current value, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.second.isReady ? this.current : undefined;
  }

  /** Adds a value and returns the DEMA, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const e1 = this.first.update(value);
    if (e1 === undefined) return undefined;
    const e2 = this.second.update(e1);
    if (e2 === undefined) return undefined;
    this.current = 2 * e1 - e2;
    return this.current;
  }

  /** Revises the last value and returns the DEMA as if it had been added instead. */
  replace(value: number): number | undefined {
    // The inner EMA was fed by the last update exactly when the outer one is ready.
    const e1 = this.first.replace(value);
    if (e1 === undefined) return undefined;
    const e2 = this.second.replace(e1);
    if (e2 === undefined) return undefined;
    this.current = 2 * e1 - e2;
    return this.current;
  }

  /** Forgets every value. */
  reset(): void {
    this.first.reset();
    this.second.reset();
    this.current = Number.NaN;
  }
}

/**
 * The triple exponential moving average, `3 * EMA(x) - 3 * EMA(EMA(x)) + EMA(EMA(EMA(x)))`, each
 * {@link EMA} seeded with the simple average of its first `period` inputs, so the first value
 * comes at input `3 * period - 2`. TTR has no TEMA; the tests compose TTR's `EMA` to check it.
 * See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { TEMA } from '@qtp/strategy';
 * const tema = new TEMA(2);
 * for (const value of [1, 2, 3, 4]) tema.update(value);
 * console.log(tema.value); // 4: it follows a straight line without lag
 * ```
 */
export class TEMA implements Indicator<[value: number], number> {
  /** The period of the three EMAs. */
  readonly period: number;
  private readonly first: EMA;
  private readonly second: EMA;
  private readonly third: EMA;
  private current = Number.NaN;

  /**
   * Creates a TEMA whose three EMAs have `period`.
   * @param period - an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.first = new EMA(period);
    this.second = new EMA(period);
    this.third = new EMA(period);
    this.period = period;
  }

  /** Whether `3 * period - 2` values have been seen. */
  get isReady(): boolean {
    return this.third.isReady;
  }

  /** The current value, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.third.isReady ? this.current : undefined;
  }

  /** Adds a value and returns the TEMA, or `undefined` during warm-up. */
  update(value: number): number | undefined {
    const e1 = this.first.update(value);
    if (e1 === undefined) return undefined;
    const e2 = this.second.update(e1);
    if (e2 === undefined) return undefined;
    const e3 = this.third.update(e2);
    if (e3 === undefined) return undefined;
    this.current = 3 * (e1 - e2) + e3;
    return this.current;
  }

  /** Revises the last value and returns the TEMA as if it had been added instead. */
  replace(value: number): number | undefined {
    const e1 = this.first.replace(value);
    if (e1 === undefined) return undefined;
    const e2 = this.second.replace(e1);
    if (e2 === undefined) return undefined;
    const e3 = this.third.replace(e2);
    if (e3 === undefined) return undefined;
    this.current = 3 * (e1 - e2) + e3;
    return this.current;
  }

  /** Forgets every value. */
  reset(): void {
    this.first.reset();
    this.second.reset();
    this.third.reset();
    this.current = Number.NaN;
  }
}

/**
 * Returns the double exponential moving average of `values`, NaN for the first
 * `2 * period - 2` entries. Computes the same numbers as {@link DEMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { dema } from '@qtp/strategy';
 * dema([1, 2, 3], 2); // Float64Array [NaN, NaN, 3]
 * ```
 */
export function dema(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new DEMA(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

/**
 * Returns the triple exponential moving average of `values`, NaN for the first
 * `3 * period - 3` entries. Computes the same numbers as {@link TEMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param period - an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
 * @example
 * ```ts
 * import { tema } from '@qtp/strategy';
 * tema([1, 2, 3, 4], 2); // Float64Array [NaN, NaN, NaN, 4]
 * ```
 */
export function tema(values: ArrayLike<number>, period: number): Float64Array {
  const indicator = new TEMA(period);
  const out = nanArray(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = indicator.update(values[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
