import { type Decimal, formatDecimal, InsufficientFundsError } from '@qtp/core';
import type { Balance } from '../exchange.js';
import { compare, ZERO } from './decimal-ops.js';

interface Holding {
  free: Decimal;
  locked: Decimal;
}

/**
 * The simulated venue's cash: free and locked amounts per asset, exact. Every method checks
 * before it changes anything, so a refused move leaves no trace and no amount goes below zero.
 * The full portfolio (positions, P&L) is @qtp/portfolio's job; this is only what a venue holds.
 */
export class CashAccount {
  private readonly holdings = new Map<string, Holding>();

  constructor(
    initial: Iterable<readonly [string, Decimal]>,
    private readonly changed: (asset: string) => void,
  ) {
    for (const [asset, amount] of initial) this.holdings.set(asset, { free: amount, locked: ZERO });
  }

  free(asset: string): Decimal {
    return this.holdings.get(asset)?.free ?? ZERO;
  }

  balance(asset: string): Balance {
    const holding = this.holdings.get(asset);
    return Object.freeze({
      asset,
      free: holding?.free ?? ZERO,
      locked: holding?.locked ?? ZERO,
    });
  }

  balances(): Balance[] {
    return [...this.holdings.keys()].sort().map((asset) => this.balance(asset));
  }

  /** Moves `amount` from free to locked, or throws InsufficientFundsError. */
  lock(asset: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const holding = this.holding(asset);
    if (compare(holding.free, amount) < 0) {
      throw new InsufficientFundsError(
        `insufficient ${asset}: needs ${formatDecimal(amount)}, has ${formatDecimal(holding.free)} free`,
        { details: { asset, required: formatDecimal(amount), free: formatDecimal(holding.free) } },
      );
    }
    holding.free = holding.free.minus(amount);
    holding.locked = holding.locked.plus(amount);
    this.changed(asset);
  }

  /** Moves `amount` from locked back to free. */
  unlock(asset: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const holding = this.holding(asset);
    holding.locked = holding.locked.minus(amount);
    holding.free = holding.free.plus(amount);
    this.changed(asset);
  }

  /** Pays `fromLocked` out of locked and `fromFree` out of free; the caller checked both suffice. */
  pay(asset: string, fromLocked: Decimal, fromFree: Decimal): void {
    if (fromLocked.isZero() && fromFree.isZero()) return;
    const holding = this.holding(asset);
    // A fill paid from its lock alone leaves the free balance as it is, without a copy.
    if (!fromLocked.isZero()) holding.locked = holding.locked.minus(fromLocked);
    if (!fromFree.isZero()) holding.free = holding.free.minus(fromFree);
    this.changed(asset);
  }

  /** Adds `amount` (which may be negative, but never beyond the free amount) to free. */
  credit(asset: string, amount: Decimal): void {
    if (amount.isZero()) return;
    const holding = this.holding(asset);
    holding.free = holding.free.plus(amount);
    this.changed(asset);
  }

  private holding(asset: string): Holding {
    let holding = this.holdings.get(asset);
    if (holding === undefined) {
      holding = { free: ZERO, locked: ZERO };
      this.holdings.set(asset, holding);
    }
    return holding;
  }
}
