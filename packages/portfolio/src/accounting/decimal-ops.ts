import { Decimal } from '@qtp/core';

/*
 * Comparisons for booking. decimal.js copies its argument on every comparison (`a.lt(b)`,
 * `Decimal.min(a, b)` and the like), and those copies were a large share of the garbage booking
 * a fill made; these read the digits in place and return one of the inputs.
 */

/** The zero booking shares; decimals are immutable, so one instance serves every use. */
export const ZERO = new Decimal(0);

/** Returns -1, 0 or 1 as `a` is less than, equal to or greater than `b` (as `a.cmp(b)`). */
export function compare(a: Decimal, b: Decimal): number {
  const ad = a.d;
  const bd = b.d;
  if (!ad || !bd) return a.comparedTo(b);
  // decimal.js keeps a zero as the single digit word 0, whatever its sign.
  const aZero = ad[0] === 0;
  const bZero = bd[0] === 0;
  if (aZero || bZero) return aZero ? (bZero ? 0 : -b.s) : a.s;
  if (a.s !== b.s) return a.s;
  // Same sign from here: a larger magnitude is the larger number when positive.
  const up = a.s > 0 ? 1 : -1;
  if (a.e !== b.e) return a.e > b.e ? up : -up;
  // With equal exponents the base-1e7 digit words line up, and trailing zero words are dropped.
  const length = Math.min(ad.length, bd.length);
  for (let i = 0; i < length; i++) {
    if (ad[i] !== bd[i]) return ad[i]! > bd[i]! ? up : -up;
  }
  if (ad.length === bd.length) return 0;
  return ad.length > bd.length ? up : -up;
}

/** Returns the smaller of `a` and `b` (`a` when equal), without a copy. */
export function min(a: Decimal, b: Decimal): Decimal {
  return compare(b, a) < 0 ? b : a;
}

/** Returns `a + b`, or `a` itself when `b` is zero (no new decimal). */
export function plus(a: Decimal, b: Decimal): Decimal {
  return b.isZero() ? a : a.plus(b);
}
