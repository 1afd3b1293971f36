import {
  createOrderRequest,
  Decimal,
  Instrument,
  type InstrumentId,
  instrumentId,
  Order,
  type OrderRequestInput,
  type PositionView,
  type PreTradeContext,
} from '@qtp/core';
import { alignReturns, StressLossLimit } from '@qtp/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');
const ETH = instrumentId('ETHUSDT', 'BINANCE');
const listed = new Map<InstrumentId, Instrument>(
  [
    ['BTC', BTC],
    ['ETH', ETH],
  ].map(([base, id]) => [
    id as InstrumentId,
    new Instrument({
      id: id as InstrumentId,
      baseAsset: base!,
      quoteAsset: 'USDT',
      priceIncrement: '0.01',
      sizeIncrement: '0.0001',
    }),
  ]),
);
const instruments = { get: (id: InstrumentId) => listed.get(id) };
const marks = new Map<string, number>([
  [BTC, 60_000],
  [ETH, 3_000],
]);

// A book of net quantities: the read-only view a portfolio gives the gate.
function holdings(entries: [InstrumentId, string][]): PositionView {
  const map = new Map(entries.map(([id, q]) => [id, new Decimal(q)]));
  return {
    netQuantity: (id) => map.get(id) ?? new Decimal(0),
    netQuantities: () => map,
  };
}

function contextFor(id: InstrumentId, extra: Partial<PreTradeContext> = {}): PreTradeContext {
  return { instrument: listed.get(id)!, timeMs: 0, openOrders: [], ...extra };
}

function order(input: Partial<OrderRequestInput> & Pick<OrderRequestInput, 'side' | 'quantity'>) {
  return createOrderRequest({ instrumentId: BTC, type: 'MARKET', ...input });
}

const btcCrash = {
  kind: 'shocks',
  name: 'BTC -30 %',
  shocks: [{ scope: 'asset', asset: 'BTC', priceChange: -0.3 }],
};
const ethSpike = {
  kind: 'shocks',
  name: 'ETH +50 %',
  shocks: [{ scope: 'asset', asset: 'ETH', priceChange: 0.5 }],
};

describe('StressLossLimit', () => {
  const gate = new StressLossLimit({
    scenarios: [btcCrash, ethSpike],
    maxLoss: 25_000,
    markPrice: (id) => marks.get(id),
    instruments,
  });

  it('approves a buy that keeps the stressed loss within the limit', () => {
    // 1 BTC at 60000 loses 18000 when BTC falls 30 %.
    expect(gate.check(order({ side: 'BUY', quantity: '1' }), contextFor(BTC))).toEqual({
      approved: true,
    });
  });

  it('refuses a buy that takes the stressed loss past the limit, with code, limit and value', () => {
    // Holding 1 BTC, buying 0.5 more: 1.5 x 60000 x 0.3 = 27000 > 25000.
    const context = contextFor(BTC, { positions: holdings([[BTC, '1']]) });
    expect(gate.check(order({ side: 'BUY', quantity: '0.5' }), context)).toEqual({
      approved: false,
      reason: {
        code: 'MAX_STRESS_LOSS',
        message: 'stressed loss 27000 in scenario "BTC -30 %" above the limit 25000',
        field: 'maxStressLoss',
        configured: '25000',
        attempted: '27000',
      },
    });
  });

  it('counts open orders as if they filled', () => {
    const resting = new Order({
      instrumentId: BTC,
      side: 'BUY',
      type: 'LIMIT',
      price: '59000',
      quantity: '1',
      clientOrderId: 'resting-1',
      timeMs: 0,
    });
    const context = contextFor(BTC, { openOrders: [resting] });
    const decision = gate.check(order({ side: 'BUY', quantity: '0.5' }), context);
    expect(decision.approved).toBe(false);
  });

  it('takes the worst scenario: a short ETH is hurt by the spike, not the crash', () => {
    // -12 ETH at 3000: +50 % loses 12 x 1500 = 18000; -14 ETH loses 21000; -17 ETH 25500.
    const context = contextFor(ETH, { positions: holdings([[ETH, '-12']]) });
    expect(
      gate.check(order({ instrumentId: ETH, side: 'SELL', quantity: '2' }), context).approved,
    ).toBe(true);
    const refused = gate.check(order({ instrumentId: ETH, side: 'SELL', quantity: '5' }), context);
    expect(refused).toMatchObject({
      approved: false,
      reason: { attempted: '25500', message: expect.stringContaining('ETH +50 %') },
    });
  });

  it('counts each scenario on its own: a short ETH adds nothing to the BTC crash', () => {
    // 1.2 BTC loses 21600 in the crash; shorting 2 ETH loses 3000 in the spike, a different
    // scenario, so the worst stays 21600.
    const context = contextFor(ETH, { positions: holdings([[BTC, '1.2']]) });
    expect(
      gate.check(order({ instrumentId: ETH, side: 'SELL', quantity: '2' }), context).approved,
    ).toBe(true);
  });

  it('always lets an order through that lowers a stressed loss already past the limit', () => {
    const context = contextFor(BTC, { positions: holdings([[BTC, '2']]) });
    // 2 BTC loses 36000 > 25000; selling 0.5 leaves 27000, still above, but lower.
    expect(gate.check(order({ side: 'SELL', quantity: '0.5' }), context).approved).toBe(true);
    expect(gate.check(order({ side: 'BUY', quantity: '0.01' }), context).approved).toBe(false);
  });

  it('values a limit order at its price', () => {
    // Buying 1.5 BTC at 50000: 1.5 x 50000 x 0.3 = 22500, within the limit.
    const limit = order({ side: 'BUY', type: 'LIMIT', price: '50000', quantity: '1.5' });
    expect(gate.check(limit, contextFor(BTC)).approved).toBe(true);
  });

  it('fails closed when a holding has no mark price or unknown instrument', () => {
    const unknown = instrumentId('DOGEUSDT', 'BINANCE');
    const context = contextFor(BTC, { positions: holdings([[unknown, '1000']]) });
    expect(gate.check(order({ side: 'BUY', quantity: '0.1' }), context)).toMatchObject({
      approved: false,
      reason: { code: 'STRESS_UNPRICED', attempted: unknown },
    });
  });

  it('never approves an order that leaves the worst loss above the limit and higher', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: -300, max: 300 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        (btcTenths, ethUnits, size, buy) => {
          const positions = holdings([
            [BTC, String(btcTenths / 10)],
            [ETH, String(ethUnits)],
          ]);
          const request = order({ side: buy ? 'BUY' : 'SELL', quantity: String(size / 100) });
          const worst = (btc: number) => Math.max(0, btc * 60_000 * 0.3, -ethUnits * 1500);
          const before = worst(btcTenths / 10);
          const after = worst(btcTenths / 10 + (buy ? 1 : -1) * (size / 100));
          const decision = gate.check(request, contextFor(BTC, { positions }));
          const expected = after <= 25_000 + 1e-6 || after <= before;
          expect(decision.approved).toBe(expected);
        },
      ),
    );
  });

  it('replays a historical window against the book in every check', () => {
    const history = alignReturns({
      BTC: { times: [0, 1, 2, 3], prices: [100, 50, 55, 60] },
      ETH: { times: [0, 1, 2, 3], prices: [10, 10, 10, 10] },
    });
    const replay = new StressLossLimit({
      scenarios: [{ kind: 'historical', name: 'worst bar', window: { durationMs: 1 } }],
      maxLoss: 25_000,
      markPrice: (id) => marks.get(id),
      instruments,
      history,
    });
    // BTC halved from 0 to 1: 0.8 BTC loses 24000, 0.9 BTC 27000.
    expect(replay.check(order({ side: 'BUY', quantity: '0.8' }), contextFor(BTC)).approved).toBe(
      true,
    );
    expect(replay.check(order({ side: 'BUY', quantity: '0.9' }), contextFor(BTC))).toMatchObject({
      approved: false,
      reason: { attempted: '27000', configured: '25000' },
    });
  });

  it('refuses bad configuration', () => {
    const base = { markPrice: () => 1, instruments, maxLoss: 1, scenarios: [btcCrash] };
    expect(() => new StressLossLimit({ ...base, scenarios: [] })).toThrow(/scenarios/);
    expect(() => new StressLossLimit({ ...base, maxLoss: 0 })).toThrow(/maxLoss/);
    expect(() => new StressLossLimit({ ...base, scenarios: [{ kind: 'shocks' }] })).toThrow(
      /scenarios/,
    );
    expect(
      () =>
        new StressLossLimit({
          ...base,
          scenarios: [{ kind: 'historical', name: 'w', window: 'week' }],
        }),
    ).toThrow(/history/);
  });
});
