import { Decimal } from '@qtp/core';
import { FillLedger } from '@qtp/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC, ETH } from '../test/fixtures.js';

const fillArbitrary = fc.record({
  instrument: fc.constantFrom(BTC.id, ETH.id),
  strategy: fc.constantFrom('a', 'b', undefined),
  side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
  lots: fc.integer({ min: 1, max: 1_000 }),
  price: fc.integer({ min: 1, max: 100_000 }),
});

describe('FillLedger properties', () => {
  it('keeps the account equal to its strategies plus untagged fills, and P&L equal to mark minus price over the fills', () => {
    fc.assert(
      fc.property(
        fc.array(fillArbitrary, { maxLength: 40 }),
        fc.integer({ min: 1, max: 100_000 }),
        (fills, mark) => {
          const ledger = new FillLedger();
          let untagged = new Decimal(0);
          let expectedPnl = 0;
          for (const f of fills) {
            const quantity = new Decimal(f.lots).div(1_000);
            ledger.book(f.instrument, f.strategy, f.side, quantity, f.price);
            const signed = f.side === 'BUY' ? quantity : quantity.neg();
            if (f.strategy === undefined && f.instrument === BTC.id)
              untagged = untagged.plus(signed);
            expectedPnl += signed.toNumber() * (mark - f.price);
          }
          const byStrategy = ledger
            .exactPosition(BTC.id, 'a')
            .plus(ledger.exactPosition(BTC.id, 'b'))
            .plus(untagged);
          expect(ledger.exactPosition(BTC.id).eq(byStrategy)).toBe(true);
          const marks = new Map([
            [BTC.id, mark],
            [ETH.id, mark],
          ]);
          const scale = Math.max(1, Math.abs(expectedPnl));
          expect(Math.abs(ledger.pnl(marks) - expectedPnl) / scale).toBeLessThan(1e-9);
          // The account's P&L is its strategies' plus that of the untagged fills.
          let untaggedPnl = 0;
          for (const f of fills) {
            if (f.strategy !== undefined) continue;
            untaggedPnl += (f.side === 'BUY' ? 1 : -1) * (f.lots / 1_000) * (mark - f.price);
          }
          const parts = ledger.pnl(marks, 'a') + ledger.pnl(marks, 'b') + untaggedPnl;
          expect(Math.abs(ledger.pnl(marks) - parts) / scale).toBeLessThan(1e-9);
        },
      ),
    );
  });
});
