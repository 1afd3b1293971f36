import type { Indicator } from './types.js';
import { checkLengths, nanArray } from './validate.js';

/**
 * On-balance volume: a running total that adds the period's volume when the close rises, subtracts
 * it when the close falls and leaves it when the close is unchanged. It is defined from the first
 * input, which contributes its whole volume.
 *
 * Follows TTR's `OBV(price, volume)`, which also starts from the first volume; TTR treats a log
 * change below `sqrt(.Machine$double.eps)` as unchanged, this compares the closes exactly. See
 * {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { OBV } from '@qtp/strategy';
 * const obv = new OBV();
 * obv.update(10, 100);
 * obv.update(11, 50);
 * console.log(obv.update(10.5, 30)); // 120
 * ```
 */
export class OBV implements Indicator<[close: number, volume: number], number> {
  private count = 0;
  private previous = 0;
  private total = 0;
  private undoPrevious = 0;
  private undoTotal = 0;

  /** Whether a period has been seen. */
  get isReady(): boolean {
    return this.count > 0;
  }

  /** The current total, or `undefined` before the first update. */
  get value(): number | undefined {
    return this.count > 0 ? this.total : undefined;
  }

  /** Adds a period's close and volume and returns the running total. */
  update(close: number, volume: number): number {
    const previous = this.previous;
    const total = this.total;
    this.undoPrevious = previous;
    this.undoTotal = total;
    this.previous = close;
    if (this.count++ === 0) this.total = volume;
    else if (close > previous) this.total = total + volume;
    else if (close < previous) this.total = total - volume;
    return this.total;
  }

  /** Revises the last period and returns the total as if it had been added instead. */
  replace(close: number, volume: number): number {
    if (this.count > 0) {
      this.count--;
      this.previous = this.undoPrevious;
      this.total = this.undoTotal;
    }
    return this.update(close, volume);
  }

  /** Forgets every period. */
  reset(): void {
    this.count = 0;
    this.previous = 0;
    this.total = 0;
  }
}

/**
 * Returns the on-balance volume of the periods. Computes the same numbers as {@link OBV}.
 *
 * @param close - the closes
 * @param volume - the volumes, as many as the closes
 * @throws {@link @qtp/core!ValidationError} when the lengths differ
 * @example
 * ```ts
 * import { obv } from '@qtp/strategy';
 * obv([10, 11, 10.5], [100, 50, 30]); // Float64Array [100, 150, 120]
 * ```
 */
export function obv(close: ArrayLike<number>, volume: ArrayLike<number>): Float64Array {
  const n = checkLengths({ close, volume });
  const indicator = new OBV();
  const out = nanArray(n);
  for (let i = 0; i < n; i++) out[i] = indicator.update(close[i]!, volume[i]!);
  return out;
}
