import {
  createOrderRequest,
  Decimal,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderType,
  SimulatedClock,
} from '@qtp/core';
import { SimulatedExchange, tradeFillModel } from '@qtp/exchange';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'SIM');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.1',
  sizeIncrement: '0.1',
});

type Step =
  | {
      kind: 'place';
      side: 'BUY' | 'SELL';
      type: OrderType;
      tif: 'GTC' | 'IOC' | 'FOK';
      offset: number;
      quantity: number;
    }
  | { kind: 'trade'; move: number; size: number }
  | { kind: 'quote'; size: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('place' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    type: fc.constantFrom<OrderType>('MARKET', 'LIMIT', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT'),
    tif: fc.constantFrom('GTC' as const, 'IOC' as const, 'FOK' as const),
    offset: fc.integer({ min: -5, max: 5 }),
    quantity: fc.integer({ min: 1, max: 60 }),
  }),
  fc.record({
    kind: fc.constant('trade' as const),
    move: fc.integer({ min: -4, max: 4 }),
    size: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({ kind: fc.constant('quote' as const), size: fc.integer({ min: 0, max: 40 }) }),
);

const sum = (values: readonly Decimal[]) => values.reduce((a, b) => a.plus(b), new Decimal(0));

// Replays the steps and checks, at every trade, that the fills it produced add up to at most
// the traded size and to exactly what the orders' filled quantities grew by.
async function replay(queuePosition: boolean, steps: readonly Step[]) {
  const clock = new SimulatedClock({ startMs: 0 });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '100000000', BTC: '100000' },
    fillModel: tradeFillModel({ takerVolume: 'traded', queuePosition, queueAhead: 3 }),
  });
  const fills: Fill[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  const placed: string[] = [];
  const quantities = new Map<string, Decimal>();
  const filledOf = async () => {
    const filled = new Map<string, Decimal>();
    for (const clientOrderId of placed) {
      const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId });
      filled.set(clientOrderId, report.filledQuantity);
    }
    return filled;
  };
  let tenths = 1000;
  let tradeId = 0;
  for (const [index, s] of steps.entries()) {
    clock.advanceBy(1_000);
    if (s.kind === 'place') {
      const price = new Decimal(tenths + s.offset).div(10);
      const priced = s.type === 'LIMIT' || s.type === 'STOP_LIMIT';
      const stop = s.type === 'STOP_MARKET' || s.type === 'STOP_LIMIT';
      const clientOrderId = `o${index}`;
      const quantity = new Decimal(s.quantity).div(10);
      try {
        await exchange.placeOrder(
          createOrderRequest({
            instrumentId: id,
            clientOrderId,
            side: s.side,
            type: s.type,
            quantity,
            ...(priced ? { price } : {}),
            ...(stop ? { triggerPrice: price } : {}),
            timeInForce: s.type === 'MARKET' ? 'IOC' : s.type === 'LIMIT' ? s.tif : 'GTC',
          }),
        );
        placed.push(clientOrderId);
        quantities.set(clientOrderId, quantity);
      } catch (error) {
        if (!isQtpError(error, 'INVALID_ORDER')) throw error;
      }
    } else if (s.kind === 'quote') {
      exchange.onQuoteTick({
        instrumentId: id,
        bidPrice: (tenths - 1) / 10,
        bidSize: s.size / 10,
        askPrice: (tenths + 1) / 10,
        askSize: s.size / 10,
        timeMs: clock.now(),
      });
    } else {
      tenths = Math.max(500, tenths + s.move);
      const before = await filledOf();
      const start = fills.length;
      const size = new Decimal(s.size).div(10);
      exchange.onTradeTick({
        instrumentId: id,
        price: tenths / 10,
        size: size.toNumber(),
        aggressorSide: 'BUY',
        tradeId: String(++tradeId),
        timeMs: clock.now(),
      });
      const stepFills = fills.slice(start);
      const total = sum(stepFills.map((fill) => fill.quantity));
      expect(total.lte(size)).toBe(true);
      const after = await filledOf();
      const grown = sum(placed.map((o) => after.get(o)!.minus(before.get(o)!)));
      expect(grown.eq(total)).toBe(true);
    }
  }
  for (const clientOrderId of placed) {
    const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId });
    const own = fills.filter((fill) => String(fill.clientOrderId) === clientOrderId);
    expect(sum(own.map((fill) => fill.quantity)).eq(report.filledQuantity)).toBe(true);
    expect(report.filledQuantity.lte(quantities.get(clientOrderId)!)).toBe(true);
  }
}

describe("trade fill model with takerVolume: 'traded'", () => {
  it.each([false, true])(
    'never fills more than a trade printed, and fills add up to what orders filled (queuePosition %s)',
    async (queuePosition) => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { maxLength: 60 }), (steps) =>
          replay(queuePosition, steps),
        ),
        { numRuns: 150 },
      );
    },
  );
});
