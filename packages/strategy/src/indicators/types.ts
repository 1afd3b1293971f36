/**
 * The contract every streaming indicator meets: one `update` per period, `replace` to revise the
 * period still forming, `reset` to start over.
 *
 * `Inputs` lists one period's inputs in the order of the matching batch function, for example
 * `[value: number]` for {@link SMA} or `[high: number, low: number, close: number]` for
 * {@link ATR}. `Value` is a number, or an object for indicators with several outputs; such an
 * object is owned by the indicator and overwritten by the next `update`, `replace` or `reset`.
 *
 * NaN inputs are not screened, because a check per update costs speed. Indicators built on
 * running sums or recursive averages (all but {@link RollingMin}, {@link RollingMax} and
 * {@link Donchian}) return NaN from a NaN input until {@link Indicator.reset}; the min/max family
 * returns NaN while the NaN is inside its window, then recovers.
 *
 * @example
 * ```ts
 * import { EMA, type Indicator } from '@qtp/strategy';
 * const indicator: Indicator<[value: number], number> = new EMA(10);
 * for (const close of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) indicator.update(close);
 * console.log(indicator.isReady, indicator.value); // true 5.5
 * ```
 */
export interface Indicator<Inputs extends readonly number[], Value> {
  /**
   * Adds one period's inputs and returns the current value, or `undefined` during warm-up.
   * Runs in O(1) without allocating.
   */
  update(...inputs: Inputs): Value | undefined;
  /**
   * Revises the inputs of the last period (a candle still forming) and returns the value as if
   * `update` had been called with these inputs instead. Before any update it acts as `update`.
   */
  replace(...inputs: Inputs): Value | undefined;
  /** Forgets every input, returning to the state right after construction. */
  reset(): void;
  /** Whether warm-up is over, so that `value` is defined. */
  readonly isReady: boolean;
  /** The current value, or `undefined` during warm-up. */
  readonly value: Value | undefined;
}
