import {
  type Bar,
  createBarEvent,
  createFill,
  Decimal,
  Instrument,
  InvalidOrderError,
  instrumentId,
  type OrderDeniedEvent,
} from '@qtp/core';
import { Strategy, type StrategyOptions } from '@qtp/strategy';
import { createBarSeries, createTestContext } from '@qtp/strategy/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

function series(closes: readonly number[]): Bar[] {
  return createBarSeries(
    btc.id,
    '1m',
    closes.map((close, i) => ({
      openTimeMs: i * 60_000,
      open: close,
      high: close + 1,
      low: close - 1,
      close,
      volume: 1,
    })),
  );
}

const schema = z.strictObject({});

// Buys on every bar and records what it hears and reads.
class Buyer extends Strategy<z.output<typeof schema>> {
  readonly denied: OrderDeniedEvent[] = [];
  readonly seen: { position: string; cash: string; equity: number }[] = [];
  constructor(options: StrategyOptions) {
    super(options, { schema });
  }
  protected override onBar(): void {
    this.seen.push({
      position: this.portfolio.position(btc.id).toString(),
      cash: this.portfolio.cash('USDT').toString(),
      equity: this.portfolio.equity(),
    });
    this.buy(btc.id, '0.5');
  }
  protected override onOrderDenied(event: OrderDeniedEvent): void {
    this.denied.push(event);
  }
}

describe('Strategy.onOrderDenied', () => {
  it('turns a sink that throws into an order.denied event and keeps running', () => {
    const test = createTestContext({ instruments: [btc] });
    test.context.orders.submit = () => {
      throw new InvalidOrderError('quantity: must be at most 0.1, was 0.5');
    };
    const strategy = new Buyer({ id: 'buyer' });
    strategy.start(test.context);
    const bars = series([100, 101]);
    for (const bar of bars) {
      test.clock.advanceTo(bar.closeTimeMs);
      strategy.handle(createBarEvent(bar));
    }
    expect(strategy.state).toBe('running');
    expect(strategy.denied).toHaveLength(2);
    expect(strategy.denied[0]).toMatchObject({
      type: 'order.denied',
      instrumentId: btc.id,
      denial: { source: 'engine', code: 'INVALID_ORDER' },
      timeMs: bars[0]!.closeTimeMs,
    });
    expect(strategy.denied[0]?.request.quantity.toString()).toBe('0.5');
    // Two denials, two distinct ids, and nothing left open.
    expect(new Set(strategy.denied.map((event) => event.clientOrderId)).size).toBe(2);
    expect(strategy.openOrders()).toEqual([]);
  });

  it('hears a host’s denial of its own order and closes it', () => {
    const test = createTestContext({ instruments: [btc] });
    const strategy = new Buyer({ id: 'buyer' });
    strategy.start(test.context);
    const [bar] = series([100]);
    test.clock.advanceTo(bar!.closeTimeMs);
    strategy.handle(createBarEvent(bar!));
    const [order] = test.orders;
    expect(strategy.openOrders()).toHaveLength(1);
    const event: OrderDeniedEvent = {
      type: 'order.denied',
      clientOrderId: order!.clientOrderId,
      instrumentId: btc.id,
      tags: order!.request.tags ?? [],
      request: order!.request,
      denial: { source: 'gate', code: 'MAX_NOTIONAL', message: 'notional: too large' },
      timeMs: bar!.closeTimeMs,
    };
    strategy.handle(event);
    expect(strategy.denied).toEqual([event]);
    expect(strategy.openOrders()).toEqual([]);
  });

  it('ignores a denial of another strategy’s order', () => {
    const test = createTestContext({ instruments: [btc] });
    const strategy = new Buyer({ id: 'buyer' });
    strategy.start(test.context);
    strategy.handle({
      type: 'order.denied',
      clientOrderId: 'other-1',
      instrumentId: btc.id,
      tags: ['strategy:other'],
      request: test.orders[0]?.request ?? {
        instrumentId: btc.id,
        side: 'BUY',
        type: 'MARKET',
        quantity: new Decimal(1),
        timeInForce: 'IOC',
      },
      denial: { source: 'rules', code: 'VALIDATION', message: 'quantity: must be positive' },
      timeMs: 0,
    });
    expect(strategy.denied).toEqual([]);
  });
});

describe('Strategy.portfolio', () => {
  it('reads position, cash and equity from the host, moved by fills', () => {
    const test = createTestContext({ instruments: [btc], cash: { USDT: '1000' } });
    const strategy = new Buyer({ id: 'buyer' });
    strategy.start(test.context);
    const bars = series([100, 110]);
    test.clock.advanceTo(bars[0]!.closeTimeMs);
    strategy.handle(createBarEvent(bars[0]!));
    test.positions.mark(btc.id, 100);
    // The first buy fills at 100 with a fee of 0.05 USDT: 1000 - 50 - 0.05.
    const fill = createFill({
      tradeId: 't1',
      clientOrderId: test.orders[0]!.clientOrderId,
      venueOrderId: 'v1',
      instrumentId: btc.id,
      side: 'BUY',
      price: '100',
      quantity: '0.5',
      fee: { amount: new Decimal('0.05'), currency: 'USDT' },
      liquiditySide: 'TAKER',
      timeMs: bars[0]!.closeTimeMs,
    });
    test.positions.applyFill(fill);
    test.positions.mark(btc.id, 110);
    test.clock.advanceTo(bars[1]!.closeTimeMs);
    strategy.handle(createBarEvent(bars[1]!));
    expect(strategy.seen).toEqual([
      { position: '0', cash: '1000', equity: 1000 },
      // 949.95 + 0.5 * 110
      { position: '0.5', cash: '949.95', equity: 1004.95 },
    ]);
  });
});
