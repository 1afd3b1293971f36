import * as z from 'zod';
import { type Decimal, type DecimalInput, formatDecimal, toDecimal } from './decimal.js';
import { ValidationError } from './errors.js';
import { decimalStringSchema, parseWith } from './zod-errors.js';

/**
 * An exact amount in a currency or asset: a fee, a balance, a realized P&L. Immutable; build one
 * with {@link createMoney}.
 */
export interface Money {
  /** The amount; may be negative (a rebate, a loss). */
  readonly amount: Decimal;
  /** The currency or asset code, such as `USDT` or `BNB`. */
  readonly currency: string;
}

/** The JSON form of {@link Money}: the amount as a decimal string, never a JSON number. */
export interface MoneyJson {
  /** The amount as a decimal string, such as `"-0.0012"`. */
  readonly amount: string;
  /** The currency or asset code. */
  readonly currency: string;
}

const CURRENCY = /^[A-Za-z0-9]{1,20}$/;

/** Returns true when `value` is a currency or asset code (1 to 20 letters or digits). */
export function isCurrency(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value);
}

/**
 * Returns `value` when it is a currency or asset code (1 to 20 letters or digits).
 * @throws {@link ValidationError} naming `field` otherwise
 */
export function checkCurrency(value: string, field = 'currency'): string {
  if (!isCurrency(value)) {
    throw new ValidationError(field, 'be a currency code of 1 to 20 letters or digits', value);
  }
  return value;
}

/**
 * Returns a {@link Money} of `amount` in `currency`.
 *
 * @param amount - a Decimal or a decimal string; negative amounts are allowed
 * @param currency - a currency or asset code of 1 to 20 letters or digits
 * @throws {@link ValidationError} when the amount is not a finite decimal or the code is malformed
 * @example
 * ```ts
 * import { createMoney } from '@qtp/core';
 * const fee = createMoney('0.0012', 'USDT');
 * fee.amount.toString(); // '0.0012'
 * ```
 */
export function createMoney(amount: DecimalInput, currency: string): Money {
  return Object.freeze({
    amount: toDecimal(amount, 'amount'),
    currency: checkCurrency(currency),
  });
}

/**
 * Returns the sum of two amounts in the same currency.
 *
 * @throws {@link ValidationError} naming `currency` when the currencies differ
 * @example
 * ```ts
 * import { addMoney, createMoney } from '@qtp/core';
 * addMoney(createMoney('1.5', 'USDT'), createMoney('0.25', 'USDT')).amount.toString(); // '1.75'
 * ```
 */
export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) {
    throw new ValidationError('currency', `match ${a.currency} to be added`, b.currency);
  }
  return Object.freeze({ amount: a.amount.plus(b.amount), currency: a.currency });
}

/**
 * Returns the JSON form of `money`, with the amount as a plain decimal string.
 *
 * @example
 * ```ts
 * import { createMoney, moneyToJSON } from '@qtp/core';
 * moneyToJSON(createMoney('1e-8', 'BTC')); // { amount: '0.00000001', currency: 'BTC' }
 * ```
 */
export function moneyToJSON(money: Money): MoneyJson {
  return { amount: formatDecimal(money.amount), currency: money.currency };
}

/** The zod schema of {@link MoneyJson}. */
export const moneyJsonSchema: z.ZodType<MoneyJson> = z.strictObject({
  amount: decimalStringSchema,
  currency: z.string(),
});

/**
 * Parses the JSON form of a {@link Money}.
 *
 * @throws {@link ValidationError} naming the offending field when the input is malformed
 * @example
 * ```ts
 * import { parseMoney } from '@qtp/core';
 * const fee = parseMoney({ amount: '0.1', currency: 'BNB' });
 * ```
 */
export function parseMoney(input: unknown): Money {
  const json = parseWith(moneyJsonSchema, input);
  return createMoney(json.amount, json.currency);
}
