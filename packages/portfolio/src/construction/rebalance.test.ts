import { Instrument, instrumentId, isQtpError } from '@qtp/core';
import { planRebalance } from '@qtp/portfolio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.0001',
  minNotional: '10',
});
const eth = new Instrument({
  id: instrumentId('ETHUSDT', 'BINANCE'),
  baseAsset: 'ETH',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  minNotional: '10',
});

describe('planRebalance', () => {
  it('buys half the equity net of the fee, rounded down to the lot', () => {
    const plan = planRebalance({
      assets: [{ instrument: btc, price: 40_000, quantity: '0', targetWeight: 0.5 }],
      cash: '10000',
      feeRate: 0.001,
    });
    // net equity e solves e = 10000 - 0.001 * e / 2, so e = 10000 / 1.0005; buy e / 2 / 40000.
    expect(plan.orders).toHaveLength(1);
    expect(plan.orders[0]!.side).toBe('BUY');
    expect(plan.orders[0]!.quantity.toString()).toBe('0.1249');
    expect(plan.estimatedFees).toBeCloseTo(0.1249 * 40_000 * 0.001, 9);
    expect(plan.cashAfter).toBeCloseTo(10_000 - 4996 - 4.996, 9);
  });

  it('sells before it buys, and leaves an asset within the drift threshold alone', () => {
    const plan = planRebalance({
      assets: [
        { instrument: btc, price: 40_000, quantity: '0.2', targetWeight: 0.3 },
        { instrument: eth, price: 2_000, quantity: '1', targetWeight: 0.7 },
      ],
      cash: '0',
      driftThreshold: 0.05,
    });
    // equity 10000: BTC at 0.8 -> sell 0.125; ETH at 0.2 -> buy 2.5.
    expect(plan.equity).toBe(10_000);
    expect(plan.orders.map((o) => [o.side, o.quantity.toString()])).toEqual([
      ['SELL', '0.125'],
      ['BUY', '2.5'],
    ]);
    const calm = planRebalance({
      assets: [{ instrument: btc, price: 40_000, quantity: '0.2', targetWeight: 0.78 }],
      cash: '2000',
      driftThreshold: 0.05,
    });
    expect(calm.orders).toEqual([]);
    expect(calm.skipped).toEqual([{ instrumentId: btc.id, reason: 'within-drift' }]);
  });

  it('drops an order below the minimum notional', () => {
    const plan = planRebalance({
      assets: [{ instrument: btc, price: 40_000, quantity: '0', targetWeight: 0.5 }],
      cash: '10',
    });
    expect(plan.orders).toEqual([]);
    expect(plan.skipped[0]!.reason).toBe('below-minimum');
  });

  it('names a weight out of range', () => {
    try {
      planRebalance({
        assets: [{ instrument: btc, price: 1, quantity: '0', targetWeight: 1.5 }],
        cash: '1',
      });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect((error as { field: string }).field).toBe('assets[0].targetWeight');
    }
  });

  it('never spends more cash than it has, fees included', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 0.01, noNaN: true }),
        (w, btcLots, cash, feeRate) => {
          const plan = planRebalance({
            assets: [
              {
                instrument: btc,
                price: 40_000,
                quantity: (btcLots / 10_000).toString(),
                targetWeight: w * 0.6,
              },
              { instrument: eth, price: 2_000, quantity: '1', targetWeight: (1 - w) * 0.4 },
            ],
            cash: String(cash),
            feeRate,
          });
          expect(plan.cashAfter).toBeGreaterThanOrEqual(-1e-6);
          for (const order of plan.orders) expect(order.quantity.isPositive()).toBe(true);
        },
      ),
    );
  });
});
