import type { Decimal } from './decimal.js';

/** One asset's balance in a {@link BalanceView}: what is free to trade and what orders hold. */
export interface AssetBalance {
  /** The amount free to trade. */
  readonly free: Decimal;
  /** The amount held by open orders. */
  readonly locked: Decimal;
}

/**
 * A read-only view of account balances by asset: what pre-trade checks need from an account,
 * which a portfolio or an exchange account implements.
 *
 * @example
 * ```ts
 * import { Decimal, type BalanceView } from '@qtp/core';
 * function canPay(balances: BalanceView, amount: Decimal): boolean {
 *   return (balances.balance('USDT')?.free ?? new Decimal(0)).gte(amount);
 * }
 * ```
 */
export interface BalanceView {
  /** Returns the balance of an asset, such as `USDT`, or `undefined` when the account has none. */
  balance(asset: string): AssetBalance | undefined;
}
