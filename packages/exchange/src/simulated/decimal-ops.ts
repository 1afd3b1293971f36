import { compareDecimals, Decimal } from '@qtp/core';

/*
 * Comparisons for the per-fill paths. decimal.js copies its argument on every comparison
 * (`a.lt(b)`, `Decimal.min(a, b)` and the like), and those copies were a large share of the
 * garbage a simulated fill made; these read the digits in place and return one of the inputs.
 */

/** The zero the engine shares; decimals are immutable, so one instance serves every use. */
export const ZERO = new Decimal(0);

/** Returns -1, 0 or 1 as `a` is less than, equal to or greater than `b` (as `a.cmp(b)`). */
export const compare = compareDecimals;

/** Returns the smaller of `a` and `b` (`a` when equal), without a copy. */
export function min(a: Decimal, b: Decimal): Decimal {
  return compare(b, a) < 0 ? b : a;
}

/** Returns the larger of `a` and `b` (`a` when equal), without a copy. */
export function max(a: Decimal, b: Decimal): Decimal {
  return compare(b, a) > 0 ? b : a;
}

/** Returns true when `value` is greater than 0 (and not NaN). */
export function isPositive(value: Decimal): boolean {
  return value.s === 1 && !value.isZero();
}

/**
 * Returns an observed number as a Decimal: the shortest decimal that prints it, as
 * `new Decimal(String(value))` gives, without the string for small integers or the regex test
 * decimal.js runs on every string.
 */
export function decimalOf(value: number): Decimal {
  // decimal.js would keep the sign of -0; String(-0) is '0'.
  return value === 0 ? ZERO : new Decimal(value);
}
