import { Decimal } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityTracker } from './equity-tracker.js';

const ASSETS = ['BNB', 'BTC', 'ETH', 'USDT'] as const;
const RATES: Record<(typeof ASSETS)[number], number> = { BNB: 300, BTC: 27000, ETH: 1800, USDT: 1 };

function tracker(): EquityTracker {
  const equity = new EquityTracker('USDT');
  for (const asset of ASSETS) equity.cell(asset).rate = RATES[asset];
  return equity;
}

// Equity by hand: each held asset at its rate, summed in asset order as the portfolio lists them.
function byHand(totals: ReadonlyMap<string, Decimal>): number {
  let total = 0;
  for (const asset of [...totals.keys()].sort()) {
    const amount = totals.get(asset)!;
    if (!amount.isZero()) total += amount.toNumber() * RATES[asset as (typeof ASSETS)[number]];
  }
  return total;
}

describe('EquityTracker', () => {
  it('values holdings set one asset at a time as when set all at once', () => {
    const update = fc.record({
      asset: fc.constantFrom(...ASSETS),
      // Cents and satoshis, zero included: a holding that empties leaves the sum.
      units: fc.integer({ min: 0, max: 10_000_000 }),
    });
    fc.assert(
      fc.property(fc.array(update, { maxLength: 40 }), (updates) => {
        const single = tracker();
        const totals = new Map<string, Decimal>();
        for (const { asset, units } of updates) {
          const amount = new Decimal(units).div(100);
          totals.set(asset, amount);
          single.setHolding(asset, amount);
        }
        const whole = tracker();
        whole.setHoldings(new Map([...totals].sort(([a], [b]) => (a < b ? -1 : 1))));
        expect(single.equity()).toBe(byHand(totals));
        expect(whole.equity()).toBe(byHand(totals));
      }),
    );
  });

  it('refuses to value a held asset without a rate, and forgets one that empties', () => {
    const equity = new EquityTracker('USDT');
    equity.setHolding('XRP', new Decimal('10'));
    expect(() => equity.equity()).toThrow(/rates\.XRP/);
    equity.setHolding('XRP', new Decimal('0'));
    equity.setHolding('USDT', new Decimal('12.5'));
    expect(equity.equity()).toBe(12.5);
  });
});
