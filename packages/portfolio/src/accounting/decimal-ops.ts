import { compareDecimals, Decimal } from '@qtp/core';

/*
 * Comparisons for booking. decimal.js copies its argument on every comparison (`a.lt(b)`,
 * `Decimal.min(a, b)` and the like), and those copies were a large share of the garbage booking
 * a fill made; these read the digits in place and return one of the inputs.
 */

/** The zero booking shares; decimals are immutable, so one instance serves every use. */
export const ZERO = new Decimal(0);

/** Returns -1, 0 or 1 as `a` is less than, equal to or greater than `b` (as `a.cmp(b)`). */
export const compare = compareDecimals;

/** Returns the smaller of `a` and `b` (`a` when equal), without a copy. */
export function min(a: Decimal, b: Decimal): Decimal {
  return compare(b, a) < 0 ? b : a;
}

/** Returns `a + b`, or `a` itself when `b` is zero (no new decimal). */
export function plus(a: Decimal, b: Decimal): Decimal {
  return b.isZero() ? a : a.plus(b);
}
