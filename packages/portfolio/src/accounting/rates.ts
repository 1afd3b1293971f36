import { type Decimal, type Money, ValidationError } from '@qtp/core';

/**
 * Prices of assets in a reporting currency: `rates.get('BTC')` is what one BTC is worth in it.
 * Rates are observed numbers, like marks; a `Map` or a plain object works.
 */
export type RateTable = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/**
 * Returns the price of one unit of `asset` in `reportingCurrency` from `rates`; the reporting
 * currency itself is worth 1.
 *
 * @throws ValidationError naming `rates.<asset>` when the table has no finite, positive rate for the asset
 * @example
 * ```ts
 * import { rateOf } from '@qtp/portfolio';
 * rateOf('BTC', 'USDT', { BTC: 27000 }); // 27000
 * rateOf('ETH', 'USDT', { BTC: 27000 }); // throws: rates.ETH: must give the price of ETH in USDT, was undefined
 * ```
 */
export function rateOf(asset: string, reportingCurrency: string, rates: RateTable): number {
  if (asset === reportingCurrency) return 1;
  const rate =
    rates instanceof Map ? rates.get(asset) : (rates as Readonly<Record<string, number>>)[asset];
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
    throw new ValidationError(
      `rates.${asset}`,
      `give the price of ${asset} in ${reportingCurrency}`,
      rate,
    );
  }
  return rate;
}

/**
 * Returns `amount` of `asset` converted to `reportingCurrency` at the rate in `rates`, as a
 * `number`: conversion makes an observed value, not booked money.
 *
 * @throws ValidationError naming `rates.<asset>` when the rate is missing
 * @example
 * ```ts
 * import { Decimal } from '@qtp/core';
 * import { convertAmount } from '@qtp/portfolio';
 * convertAmount(new Decimal('0.5'), 'BTC', 'USDT', new Map([['BTC', 27000]])); // 13500
 * ```
 */
export function convertAmount(
  amount: Decimal,
  asset: string,
  reportingCurrency: string,
  rates: RateTable,
): number {
  if (amount.isZero()) return 0;
  return amount.toNumber() * rateOf(asset, reportingCurrency, rates);
}

/** Returns `money` converted to `reportingCurrency` (see {@link convertAmount}). */
export function convertMoney(money: Money, reportingCurrency: string, rates: RateTable): number {
  return convertAmount(money.amount, money.currency, reportingCurrency, rates);
}
