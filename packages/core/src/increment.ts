import type { Decimal as DecimalJs } from 'decimal.js';
import { Decimal, type DecimalInput, toDecimal } from './decimal.js';
import { ValidationError } from './errors.js';

/** A rounding direction: to the nearest multiple (ties to the even one), up, or down. */
export type IncrementRounding = 'nearest' | 'up' | 'down';

// Scaling both numbers to integers and dividing with bigint keeps rounding exact at any size,
// where Decimal division would round the quotient to 34 digits first.
function scaled(value: Decimal, decimalPlaces: number): bigint {
  return BigInt(value.toFixed(decimalPlaces).replace('.', ''));
}

// The word values a power of ten can have: decimal.js keeps digits in base-1e7 words, so a power
// of ten is one word holding one of these.
const POWERS_OF_TEN_IN_A_WORD = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * Returns `k` when `increment` is 10^-k with k >= 0 (0.01 gives 2, 1 gives 0), else -1. Such
 * increments (nearly every venue's tick and step) round and test by decimal places alone.
 */
export function decimalPlacesOfPowerOfTen(increment: Decimal): number {
  const d = increment.d;
  if (increment.s !== 1 || !d || d.length !== 1 || increment.e > 0) return -1;
  return POWERS_OF_TEN_IN_A_WORD.includes(d[0]!) ? -increment.e : -1;
}

const ROUNDING_OF: Readonly<Record<IncrementRounding, DecimalJs.Rounding>> = {
  down: Decimal.ROUND_FLOOR,
  up: Decimal.ROUND_CEIL,
  nearest: Decimal.ROUND_HALF_EVEN,
};

const ZERO = new Decimal(0);

function unscaled(value: bigint, decimalPlaces: number): Decimal {
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(decimalPlaces + 1, '0');
  const point = digits.length - decimalPlaces;
  const text = decimalPlaces === 0 ? digits : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return new Decimal(negative ? `-${text}` : text);
}

/**
 * Returns `value` rounded to a multiple of `increment`: `'down'` towards minus infinity, `'up'`
 * towards plus infinity, `'nearest'` to the closer multiple with ties to the even multiple. The
 * result is exact at any magnitude.
 *
 * @throws {@link ValidationError} when a value is not a finite decimal or `increment` is not positive
 * @example
 * ```ts
 * import { roundToIncrement } from '@qtp/core';
 * roundToIncrement('101.37', '0.05', 'down').toString(); // '101.35'
 * roundToIncrement('101.37', '0.05', 'up').toString(); // '101.4'
 * ```
 */
export function roundToIncrement(
  value: DecimalInput,
  increment: DecimalInput,
  mode: IncrementRounding,
): Decimal {
  const x = toDecimal(value, 'value');
  const step = toDecimal(increment, 'increment');
  // toDecimal let only finite values through, so the sign and zero tests settle it (no copy).
  if (step.isNegative() || step.isZero()) {
    throw new ValidationError('increment', 'be greater than 0', increment);
  }
  const stepPlaces = decimalPlacesOfPowerOfTen(step);
  if (stepPlaces >= 0 && Object.hasOwn(ROUNDING_OF, mode)) {
    // A tick of 10^-k: rounding to k decimal places in the same direction is the same multiple,
    // exact at any size, without the round trip through strings and bigints below.
    if (x.decimalPlaces() <= stepPlaces) return x;
    const rounded = x.toDecimalPlaces(stepPlaces, ROUNDING_OF[mode]);
    return rounded.isZero() ? ZERO : rounded;
  }
  const places = Math.max(x.decimalPlaces(), step.decimalPlaces());
  const v = scaled(x, places);
  const s = scaled(step, places);
  const remainder = v % s;
  if (remainder === 0n) return x;
  const floor = remainder < 0n ? v / s - 1n : v / s;
  let multiple: bigint;
  if (mode === 'down') multiple = floor;
  else if (mode === 'up') multiple = floor + 1n;
  else if (mode === 'nearest') {
    const twice = 2n * (v - floor * s);
    if (twice < s) multiple = floor;
    else if (twice > s) multiple = floor + 1n;
    else multiple = floor % 2n === 0n ? floor : floor + 1n;
  } else {
    throw new ValidationError('mode', 'be one of nearest, up, down', mode);
  }
  const result = unscaled(multiple * s, places);
  return result.isZero() ? new Decimal(0) : result;
}

/** Returns true when `value` is an exact multiple of the positive `increment`. */
export function isMultipleOf(value: Decimal, increment: Decimal): boolean {
  const stepPlaces = decimalPlacesOfPowerOfTen(increment);
  if (stepPlaces >= 0 && value.isFinite()) return value.decimalPlaces() <= stepPlaces;
  const places = Math.max(value.decimalPlaces(), increment.decimalPlaces());
  return scaled(value, places) % scaled(increment, places) === 0n;
}
