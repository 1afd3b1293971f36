import { Decimal as DecimalJs } from 'decimal.js';
import { ValidationError } from './errors.js';

/**
 * The one decimal type the SDK books money in: a private decimal.js clone with 34 significant
 * digits (IEEE 754 decimal128), half-even rounding by default, and exponent notation switched
 * off so `toString()` always prints plain digits. The SDK never touches the global decimal.js
 * configuration, which belongs to the host application.
 *
 * Build booked values with {@link toDecimal}, which also rejects NaN, infinities and `-0`.
 *
 * @example
 * ```ts
 * import { Decimal } from '@qtp/core';
 * const notional = new Decimal('0.00141342').times('23');
 * notional.toString(); // '0.03250866'
 * ```
 */
export const Decimal: typeof DecimalJs = DecimalJs.clone({
  precision: 34,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
  minE: -9e15,
  maxE: 9e15,
});

/** An instance of the QTP {@link Decimal}. */
export type Decimal = DecimalJs;

/**
 * Returns true when `value` was made by the SDK's own {@link Decimal}, so its arithmetic runs
 * with the SDK's precision and rounding.
 *
 * decimal.js gives every clone, and the global constructor, one shared prototype, so
 * `instanceof Decimal` also holds for a host's `decimal.js` value, whose arithmetic follows the
 * host's `Decimal.set`. This guard reads the constructor each value records instead.
 *
 * @example
 * ```ts
 * import { Decimal, isDecimal } from '@qtp/core';
 * import GlobalDecimal from 'decimal.js';
 * isDecimal(new Decimal('1.5')); // true
 * isDecimal(new GlobalDecimal('1.5')); // false: convert it with toDecimal
 * ```
 */
export function isDecimal(value: unknown): value is Decimal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { constructor?: unknown }).constructor === Decimal
  );
}

// A decimal.js value from another clone, the host's global constructor or another installed copy:
// rebuilt from its string, so it keeps every digit and takes the SDK's settings.
function fromForeignDecimal(value: unknown, field: string): Decimal {
  let text: unknown;
  try {
    text = String(value);
  } catch {
    text = undefined;
  }
  if (typeof text !== 'string' || !(DECIMAL_STRING.test(text) || NON_FINITE.has(text))) {
    throw new ValidationError(field, 'be a Decimal or a decimal string', value);
  }
  return new Decimal(text);
}

const NON_FINITE: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity']);

/** A booked input: a {@link Decimal} or a decimal string as an exchange sends it. Never a `number`. */
export type DecimalInput = Decimal | string;

const DECIMAL_STRING = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The most significant digits a booked value may carry: the precision of {@link Decimal}. */
const MAX_SIGNIFICANT_DIGITS = 34;

/**
 * Returns `value` as a QTP {@link Decimal}, checked to be a finite number that is not `-0`.
 *
 * Strings are parsed straight into the decimal (never through `parseFloat`), so exchange values
 * keep every digit.
 *
 * @param value - a Decimal or a decimal string such as `'0.00141342'`
 * @param field - the field name used in the error, such as `'price'`
 * @throws {@link ValidationError} when the value is not a decimal number, is NaN, infinite or
 * `-0`, or has more than 34 significant digits (it is refused rather than rounded, so no digit
 * of a booked value is lost without a word)
 * @example
 * ```ts
 * import { toDecimal } from '@qtp/core';
 * const price = toDecimal('27123.45', 'price');
 * ```
 */
export function toDecimal(value: DecimalInput, field = 'value'): Decimal {
  let result: Decimal;
  if (typeof value === 'string') {
    const text = value.trim();
    if (!DECIMAL_STRING.test(text)) {
      throw new ValidationError(field, 'be a finite decimal number', value);
    }
    result = new Decimal(text);
  } else if (DecimalJs.isDecimal(value)) {
    result = isDecimal(value) ? value : fromForeignDecimal(value, field);
  } else {
    throw new ValidationError(field, 'be a Decimal or a decimal string', value);
  }
  if (!result.isFinite()) throw new ValidationError(field, 'be a finite decimal number', value);
  if (result.isZero() && result.isNegative()) throw new ValidationError(field, 'not be -0', value);
  // A string is read at full length, and a foreign Decimal may carry more digits than ours.
  if (result.precision() > MAX_SIGNIFICANT_DIGITS) {
    const rule = `have at most ${MAX_SIGNIFICANT_DIGITS} significant digits`;
    throw new ValidationError(field, rule, value);
  }
  return result;
}

/**
 * Returns `value` as a positive {@link Decimal} (greater than zero).
 * @throws {@link ValidationError} when the value is not a finite decimal or is zero or negative
 */
export function toPositiveDecimal(value: DecimalInput, field = 'value'): Decimal {
  const result = toDecimal(value, field);
  if (result.lte(0)) throw new ValidationError(field, 'be greater than 0', value);
  return result;
}

/**
 * Returns `value` as a non-negative {@link Decimal} (zero or more).
 * @throws {@link ValidationError} when the value is not a finite decimal or is negative
 */
export function toNonNegativeDecimal(value: DecimalInput, field = 'value'): Decimal {
  const result = toDecimal(value, field);
  if (result.isNegative()) throw new ValidationError(field, 'be 0 or more', value);
  return result;
}

/**
 * Returns -1, 0 or 1 as `a` is less than, equal to or greater than `b`, as `a.comparedTo(b)`
 * does, but without the copy of `b` that decimal.js makes on every comparison: on the per-fill
 * paths those copies were a large share of the garbage. NaN or an infinity falls back to
 * `comparedTo`.
 *
 * @example
 * ```ts
 * import { compareDecimals, Decimal } from '@qtp/core';
 * compareDecimals(new Decimal('0.1'), new Decimal('0.10')); // 0
 * ```
 */
export function compareDecimals(a: Decimal, b: Decimal): number {
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

/**
 * Formats a decimal for the wire: plain digits, never exponent notation, with exactly
 * `decimalPlaces` digits after the point when given (rounded half-even), else as few as needed.
 *
 * @example
 * ```ts
 * import { Decimal, formatDecimal } from '@qtp/core';
 * formatDecimal(new Decimal('1e-8')); // '0.00000001'
 * formatDecimal(new Decimal('0.5'), 3); // '0.500'
 * ```
 */
export function formatDecimal(value: Decimal, decimalPlaces?: number): string {
  const text =
    decimalPlaces === undefined
      ? value.toFixed()
      : value.toFixed(decimalPlaces, Decimal.ROUND_HALF_EVEN);
  return text === '-0' || /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

/** Returns the number of digits after the decimal point that `value` needs (`'0.0010'` gives 3). */
export function decimalPlacesOf(value: DecimalInput): number {
  return toDecimal(value).decimalPlaces();
}
