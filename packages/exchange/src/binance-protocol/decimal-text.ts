import { Decimal } from '@qtp/core';

/**
 * Writes a decimal as Binance does: plain text padded to `places` decimals (8 by default),
 * never in exponent form.
 * @example
 * ```ts
 * import { toBinanceDecimal } from '@qtp/exchange/binance-server';
 * toBinanceDecimal('0.001'); // '0.00100000'
 * ```
 */
export function toBinanceDecimal(value: Decimal | string | number, places = 8): string {
  const decimal = value instanceof Decimal ? value : new Decimal(String(value));
  return decimal.toFixed(places, Decimal.ROUND_DOWN);
}

/** The syntax Binance accepts for a decimal parameter. */
export const BINANCE_DECIMAL_PATTERN = /^([0-9]{1,20})(\.[0-9]{1,20})?$/;
