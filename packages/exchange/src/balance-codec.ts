import {
  type Decimal,
  decimalStringSchema,
  formatDecimal,
  parseWith,
  toNonNegativeDecimal,
} from '@qtp/core';
import { z } from 'zod';
import type { Balance } from './exchange.js';

/** The JSON form of a {@link Balance}: amounts as decimal strings. */
export interface BalanceJson {
  /** The asset code, such as `USDT`. */
  asset: string;
  /** The free amount as a decimal string. */
  free: string;
  /** The locked amount as a decimal string. */
  locked: string;
}

const amount = decimalStringSchema.refine((text) => !text.startsWith('-'), {
  message: 'be 0 or more',
});

/**
 * Validates a {@link BalanceJson}: a non-empty asset and two decimal strings of 0 or more; no
 * other keys.
 * @example
 * ```ts
 * import { balanceJsonSchema } from '@qtp/exchange';
 * balanceJsonSchema.safeParse({ asset: 'BTC', free: '1', locked: '0' }).success; // true
 * ```
 */
export const balanceJsonSchema: z.ZodType<BalanceJson> = z.strictObject({
  asset: z.string().min(1),
  free: amount,
  locked: amount,
});

/**
 * Returns the JSON form of a balance, decimals as exact strings.
 * @example
 * ```ts
 * import { Decimal } from '@qtp/core';
 * import { balanceToJSON } from '@qtp/exchange';
 * balanceToJSON({ asset: 'USDT', free: new Decimal('10.5'), locked: new Decimal(0) });
 * // { asset: 'USDT', free: '10.5', locked: '0' }
 * ```
 */
export function balanceToJSON(balance: Balance): BalanceJson {
  return {
    asset: balance.asset,
    free: formatDecimal(balance.free),
    locked: formatDecimal(balance.locked),
  };
}

/**
 * Reads a balance from its JSON form.
 * @throws `ValidationError` naming the field and the rule, such as `free: must be 0 or more, was "-1"`
 * @example
 * ```ts
 * import { parseBalance } from '@qtp/exchange';
 * parseBalance({ asset: 'BTC', free: '0.5', locked: '0.1' }).free.toString(); // '0.5'
 * ```
 */
export function parseBalance(input: unknown): Balance {
  const json = parseWith(balanceJsonSchema, input);
  const free: Decimal = toNonNegativeDecimal(json.free, 'free');
  const locked: Decimal = toNonNegativeDecimal(json.locked, 'locked');
  return { asset: json.asset, free, locked };
}
