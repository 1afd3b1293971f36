import { isQtpError, type ValidationError } from '@qtp/core';
import { alignReturns, runStressTest, type StressPosition } from '@qtp/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const book: StressPosition[] = [
  { instrumentId: 'BTCUSDT.BINANCE', asset: 'BTC', quantity: 2, price: 60_000, spread: 0.0002 },
  { instrumentId: 'ETHUSDT.BINANCE', asset: 'ETH', quantity: 10, price: 3_000, spread: 0.0004 },
  { instrumentId: 'SOLUSDT.BINANCE', asset: 'SOL', quantity: -100, price: 150, spread: 0.001 },
];
const crash = {
  kind: 'shocks',
  name: 'BTC -30 %, alts -50 %, spreads x5',
  shocks: [
    { scope: 'asset', asset: 'BTC', priceChange: -0.3 },
    { scope: 'all', exceptAssets: ['BTC'], priceChange: -0.5 },
    { scope: 'all', spreadMultiplier: 5 },
  ],
};

describe('runStressTest', () => {
  it('reports P&L per position and in total for BTC -30 %, alts -50 %, spreads x5', () => {
    const report = runStressTest(book, crash);
    // BTC: 2 x (42000 - 60000) = -36000; closing 2 x 42000 x 0.0002 x 5 / 2 = 42.
    // ETH: 10 x (1500 - 3000) = -15000; closing 10 x 1500 x 0.0004 x 5 / 2 = 15.
    // SOL short: -100 x (75 - 150) = +7500; closing 100 x 75 x 0.001 x 5 / 2 = 18.75.
    const [btc, eth, sol] = report.positions;
    expect(btc).toMatchObject({ priceChange: -0.3, shockedPrice: 42_000, spreadMultiplier: 5 });
    expect(btc!.pricePnl).toBeCloseTo(-36_000, 9);
    expect(btc!.closingCost).toBeCloseTo(42, 9);
    expect(eth!.pnl).toBeCloseTo(-15_015, 9);
    expect(sol!.pricePnl).toBeCloseTo(7_500, 9);
    expect(sol!.closingCost).toBeCloseTo(18.75, 9);
    expect(report.totalPnl).toBeCloseTo(-36_042 - 15_015 + 7_481.25, 9);
    expect(report.loss).toBeCloseTo(43_575.75, 9);
    expect(report.scenario).toBe(crash.name);
  });

  it('takes each figure from the most specific shock that sets it', () => {
    const report = runStressTest(book, {
      kind: 'shocks',
      name: 'layers',
      groups: { alts: ['ETH', 'SOL'] },
      shocks: [
        { scope: 'all', priceChange: -0.1, spreadMultiplier: 2 },
        { scope: 'group', group: 'alts', priceChange: -0.2 },
        { scope: 'asset', asset: 'ETH', spreadMultiplier: 10 },
        { scope: 'instrument', instrumentId: 'ETHUSDT.BINANCE', priceChange: -0.4 },
      ],
    });
    const figures = report.positions.map((p) => [p.priceChange, p.spreadMultiplier]);
    expect(figures).toEqual([
      [-0.1, 2],
      [-0.4, 10],
      [-0.2, 2],
    ]);
  });

  it('leaves unshocked positions unchanged, charging only the closing spread', () => {
    const report = runStressTest(book, {
      kind: 'shocks',
      name: 'BTC only',
      shocks: [{ scope: 'asset', asset: 'BTC', priceChange: 0.1 }],
    });
    expect(report.positions[1]).toMatchObject({ priceChange: 0, spreadMultiplier: 1, pricePnl: 0 });
    expect(report.positions[1]!.closingCost).toBeCloseTo((10 * 3000 * 0.0004) / 2, 12);
  });

  it('sums the positions exactly to the total, for any book and shock', () => {
    const position = fc.record({
      instrumentId: fc.constantFrom('A.X', 'B.X', 'C.X'),
      asset: fc.constantFrom('A', 'B', 'C'),
      quantity: fc.integer({ min: -1000, max: 1000 }),
      price: fc.integer({ min: 1, max: 100_000 }),
      spread: fc.integer({ min: 0, max: 100 }).map((bp) => bp / 10_000),
    });
    fc.assert(
      fc.property(
        fc.array(position, { maxLength: 8 }),
        fc.integer({ min: -100, max: 200 }).map((x) => x / 100),
        fc.integer({ min: 0, max: 20 }),
        (positions, change, multiplier) => {
          const report = runStressTest(positions, {
            kind: 'shocks',
            name: 'p',
            shocks: [{ scope: 'all', priceChange: change, spreadMultiplier: multiplier }],
          });
          let total = 0;
          for (const result of report.positions) {
            expect(result.closingCost).toBeGreaterThanOrEqual(0);
            expect(result.pnl).toBe(result.pricePnl - result.closingCost);
            total += result.pnl;
          }
          expect(report.totalPnl).toBe(total);
          expect(report.loss).toBe(Math.max(0, -total));
        },
      ),
    );
  });

  it('replays the worst window of a historical scenario from the history', () => {
    const history = alignReturns({
      BTC: { times: [0, 1, 2, 3, 4], prices: [100, 90, 99, 80, 88] },
      ETH: { times: [0, 1, 2, 3, 4], prices: [10, 11, 10, 9, 9] },
    });
    const positions: StressPosition[] = [
      { instrumentId: 'BTCUSDT.BINANCE', asset: 'BTC', quantity: 1, price: 88 },
      { instrumentId: 'ETHUSDT.BINANCE', asset: 'ETH', quantity: -10, price: 9 },
    ];
    // Windows of length 1: BTC value 88, ETH value -90.
    // 0-1: 88 x -0.1 - 90 x 0.1 = -17.8; 1-2: 88 x 0.1 - 90 x (10/11 - 1) = 16.98;
    // 2-3: 88 x (80/99 - 1) - 90 x -0.1 = -7.89; 3-4: 88 x 0.1 - 0 = 8.8. Worst: 0-1.
    const report = runStressTest(
      positions,
      { kind: 'historical', name: 'worst bar', window: { durationMs: 1 } },
      { history },
    );
    expect(report.window).toMatchObject({ startTimeMs: 0, endTimeMs: 1 });
    expect(report.totalPnl).toBeCloseTo(-17.8, 12);
    expect(report.positions.map((p) => p.priceChange)).toEqual([
      expect.closeTo(-0.1, 12),
      expect.closeTo(0.1, 12),
    ]);
  });

  it('refuses a historical scenario without history and a malformed position', () => {
    const historical = { kind: 'historical', name: 'worst day', window: 'day' };
    const fieldOf = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        if (isQtpError(error, 'VALIDATION')) return (error as ValidationError).field;
        throw error;
      }
      return 'nothing thrown';
    };
    expect(fieldOf(() => runStressTest(book, historical))).toBe('history');
    const bad = [{ ...book[0]!, price: 0 }];
    expect(fieldOf(() => runStressTest(bad, crash))).toBe('positions[0].price');
    const history = alignReturns({ BTC: { times: [0, 1, 2], prices: [1, 2, 3] } });
    expect(fieldOf(() => runStressTest(book, historical, { history }))).toBe('positions[1].asset');
  });
});
