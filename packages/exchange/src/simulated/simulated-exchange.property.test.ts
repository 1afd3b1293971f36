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
import {
  barFillModel,
  bookFillModel,
  type FillModel,
  fixedBpsSlippage,
  instrumentFees,
  SimulatedExchange,
  tradeFillModel,
} from '@qtp/exchange';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'SIM');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.1',
  sizeIncrement: '0.1',
  makerFee: '0.001',
  takerFee: '0.002',
});

type Command =
  | {
      kind: 'place';
      side: 'BUY' | 'SELL';
      type: OrderType;
      offset: number;
      quantity: number;
      ioc: boolean;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'market'; move: number; range: number; volume: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('place' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    type: fc.constantFrom<OrderType>(
      'MARKET',
      'LIMIT',
      'LIMIT',
      'STOP_MARKET',
      'STOP_LIMIT',
      'LIMIT_MAKER',
    ),
    offset: fc.integer({ min: -30, max: 30 }),
    quantity: fc.integer({ min: 1, max: 80 }),
    ioc: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('market' as const),
    move: fc.integer({ min: -20, max: 20 }),
    range: fc.integer({ min: 0, max: 20 }),
    volume: fc.integer({ min: 0, max: 50 }),
  }),
);

const models: FillModel[] = [barFillModel({ volumeCap: 0.5 }), tradeFillModel(), bookFillModel()];

async function runStream(
  model: FillModel,
  chargeIn: 'quote' | 'received',
  commands: readonly Command[],
) {
  const clock = new SimulatedClock({ startMs: 0 });
  const initial = { USDT: new Decimal('5000'), BTC: new Decimal('20') };
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: initial.USDT, BTC: initial.BTC },
    fillModel: model,
    feeModel: instrumentFees({ chargeIn }),
    slippage: fixedBpsSlippage('3'),
  });
  const fills: Fill[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  const placed: string[] = [];
  let mid = 1000; // tenths of a USDT: the price is mid / 10
  let sequence = 0;

  for (const [index, step] of commands.entries()) {
    clock.advanceBy(1_000);
    if (step.kind === 'place') {
      const price = new Decimal(mid + step.offset).div(10);
      const type = step.type;
      const priced = type === 'LIMIT' || type === 'STOP_LIMIT' || type === 'LIMIT_MAKER';
      const clientOrderId = `p${index}`;
      try {
        await exchange.placeOrder(
          createOrderRequest({
            instrumentId: id,
            side: step.side,
            type,
            quantity: new Decimal(step.quantity).div(10),
            ...(priced ? { price } : {}),
            ...(type === 'STOP_MARKET' || type === 'STOP_LIMIT' ? { triggerPrice: price } : {}),
            timeInForce: type === 'MARKET' ? 'IOC' : step.ioc && type === 'LIMIT' ? 'IOC' : 'GTC',
            clientOrderId,
          }),
        );
        placed.push(clientOrderId);
      } catch (error) {
        if (!isQtpError(error, 'INSUFFICIENT_FUNDS') && !isQtpError(error, 'INVALID_ORDER'))
          throw error;
      }
    } else if (step.kind === 'cancel') {
      const open = await exchange.fetchOpenOrders(id);
      const target = open[step.pick % Math.max(1, open.length)];
      if (target !== undefined)
        await exchange.cancelOrder({ instrumentId: id, clientOrderId: target.clientOrderId });
    } else {
      mid = Math.max(200, mid + step.move);
      const low = mid - step.range;
      const high = mid + step.range;
      if (model.kind === 'bars') {
        exchange.onBar({
          instrumentId: id,
          interval: '1s',
          openTimeMs: clock.now() - 1_000,
          closeTimeMs: clock.now() - 1,
          open: mid / 10,
          high: high / 10,
          low: low / 10,
          close: mid / 10,
          volume: step.volume / 10,
        });
      } else if (model.kind === 'trades') {
        exchange.onTradeTick({
          instrumentId: id,
          price: low / 10,
          size: Math.max(0.1, step.volume / 10),
          aggressorSide: 'SELL',
          tradeId: String(index),
          timeMs: clock.now(),
        });
      } else {
        sequence += 1;
        exchange.onBookSnapshot({
          instrumentId: id,
          sequence,
          timeMs: clock.now(),
          bids: [
            { price: (mid - 1) / 10, size: 1 + step.volume / 10 },
            { price: (low - 2) / 10, size: 5 },
          ],
          asks: [
            { price: (mid + 1) / 10, size: 1 + step.volume / 10 },
            { price: (high + 2) / 10, size: 5 },
          ],
        });
      }
    }

    // Balances never go negative, and each asset's total moves only by fills and fees.
    const balances = await exchange.fetchBalances();
    for (const balance of balances) {
      expect(balance.free.isNegative(), `${balance.asset} free`).toBe(false);
      expect(balance.locked.isNegative(), `${balance.asset} locked`).toBe(false);
    }
    const expected = { USDT: initial.USDT, BTC: initial.BTC };
    for (const fill of fills) {
      const notional = fill.price.times(fill.quantity);
      const sign = fill.side === 'BUY' ? 1 : -1;
      expected.BTC = expected.BTC.plus(fill.quantity.times(sign));
      expected.USDT = expected.USDT.minus(notional.times(sign));
      const asset = fill.fee.currency as 'USDT' | 'BTC';
      expected[asset] = expected[asset].minus(fill.fee.amount);
    }
    for (const balance of balances) {
      const total = balance.free.plus(balance.locked);
      expect(total.toString(), balance.asset).toBe(
        expected[balance.asset as 'USDT' | 'BTC'].toString(),
      );
    }
  }

  // No order is overfilled, and every fill belongs to an order that reports it.
  for (const clientOrderId of placed) {
    const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId });
    const own = fills.filter((fill) => fill.clientOrderId === clientOrderId);
    const filled = own.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
    expect(report.filledQuantity.eq(filled)).toBe(true);
  }
  for (const fill of fills) {
    const request = commands[Number(fill.clientOrderId.slice(1))];
    if (request?.kind === 'place') {
      expect(fill.quantity.lte(new Decimal(request.quantity).div(10))).toBe(true);
    }
  }
  const open = await exchange.fetchOpenOrders(id);
  if (open.length === 0) {
    for (const balance of await exchange.fetchBalances())
      expect(balance.locked.isZero()).toBe(true);
  }
}

describe('SimulatedExchange accounting', () => {
  it('keeps balances non-negative, conserves free + locked up to fills and fees, and never overfills', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...models),
        fc.constantFrom('quote' as const, 'received' as const),
        fc.array(command, { minLength: 1, maxLength: 60 }),
        runStream,
      ),
      { numRuns: 150 },
    );
  });
});
