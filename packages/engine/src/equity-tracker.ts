import { Decimal, ValidationError } from '@qtp/core';

/**
 * The engine's equity in numbers: holdings per asset are copied from the portfolio when a fill
 * or a deposit changes them, and rates come from marks, so valuing the account on every bar
 * costs a few multiplications and no `Decimal`.
 */
export class EquityTracker {
  private assets: string[] = [];
  private amounts: number[] = [];
  private readonly rates = new Map<string, number>();
  private readonly times: number[] = [];
  private readonly values: number[] = [];

  constructor(readonly currency: string) {
    this.rates.set(currency, 1);
  }

  setHoldings(totals: ReadonlyMap<string, Decimal>): void {
    const assets: string[] = [];
    const amounts: number[] = [];
    for (const [asset, amount] of totals) {
      if (amount.isZero()) continue;
      assets.push(asset);
      amounts.push(amount.toNumber());
    }
    this.assets = assets;
    this.amounts = amounts;
  }

  setRate(asset: string, rate: number): void {
    this.rates.set(asset, rate);
  }

  rateOf(asset: string): number | undefined {
    return this.rates.get(asset);
  }

  equity(): number {
    let total = 0;
    const { assets, amounts } = this;
    for (let i = 0; i < assets.length; i++) {
      const rate = this.rates.get(assets[i]!);
      if (rate === undefined) {
        throw new ValidationError(
          `rates.${assets[i]}`,
          `be known: mark an instrument that prices ${assets[i]} in ${this.currency}`,
          undefined,
        );
      }
      total += amounts[i]! * rate;
    }
    return total;
  }

  // A second point at the same time replaces the first, so several instruments closing a bar
  // together leave one point; so does an earlier time (live feeds interleave slightly out of
  // order), which keeps the curve's times increasing.
  record(timeMs: number): void {
    const equity = this.equity();
    const last = this.times.length - 1;
    if (last >= 0 && this.times[last]! >= timeMs) this.values[last] = equity;
    else {
      this.times.push(timeMs);
      this.values.push(equity);
    }
  }

  curve(): { times: number[]; values: number[] } {
    return { times: this.times.slice(), values: this.values.slice() };
  }
}

/** Returns `amount` of `asset` in `currency` exactly, from marks given as numbers. */
export function exactValue(
  amount: Decimal,
  asset: string,
  currency: string,
  priceOf: (base: string, quote: string) => number | undefined,
): Decimal {
  if (asset === currency) return amount;
  const direct = priceOf(asset, currency);
  if (direct !== undefined) return amount.times(new Decimal(String(direct)));
  const inverse = priceOf(currency, asset);
  if (inverse !== undefined) return amount.div(new Decimal(String(inverse)));
  throw new ValidationError(
    `rates.${asset}`,
    `be known: mark an instrument that prices ${asset} in ${currency}`,
    undefined,
  );
}
