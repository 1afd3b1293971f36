import {
  createOrderRequest,
  Instrument,
  instrumentId,
  SimulatedClock,
  type TradeTickEvent,
} from '@qtp/core';
import { ExchangeManager, type MarketDataFailoverEvent, SimulatedExchange } from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

function venue(name: string, clock: SimulatedClock): SimulatedExchange {
  return new SimulatedExchange({
    clock,
    venue: name,
    instruments: [
      new Instrument({
        id: instrumentId('BTCUSDT', name),
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        priceIncrement: '0.01',
        sizeIncrement: '0.001',
      }),
    ],
    balances: { USDT: '1000' },
  });
}

function setup() {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const a = venue('A', clock);
  const b = venue('B', clock);
  const manager = new ExchangeManager({
    exchanges: [a, b],
    clock,
    health: { staleAfterMs: 10_000 },
    checkIntervalMs: 1000,
  });
  return { clock, a, b, manager };
}

const trade = (venueName: string, id: number, price: number, timeMs: number) => ({
  instrumentId: instrumentId('BTCUSDT', venueName),
  price,
  size: 1,
  aggressorSide: 'BUY' as const,
  tradeId: String(id),
  timeMs,
});

describe('ExchangeManager', () => {
  it('keeps each order with its venue', async () => {
    const { a, b, manager } = setup();
    await manager.connect();
    for (const name of ['A', 'B']) {
      await manager.placeOrder(
        createOrderRequest({
          instrumentId: instrumentId('BTCUSDT', name),
          side: 'BUY',
          type: 'LIMIT',
          quantity: '1',
          price: '100',
          clientOrderId: `order-${name}`,
        }),
      );
    }
    expect((await a.fetchOpenOrders()).map((order) => order.clientOrderId)).toEqual(['order-A']);
    expect((await b.fetchOpenOrders()).map((order) => order.clientOrderId)).toEqual(['order-B']);
    expect(await manager.fetchOpenOrders()).toHaveLength(2);
    // Balances add up over the venues: 2 x 1000 USDT, 2 x 100 locked.
    const usdt = (await manager.fetchBalances()).find((balance) => balance.asset === 'USDT');
    expect(usdt?.free.toString()).toBe('1800');
    expect(usdt?.locked.toString()).toBe('200');
    await expect(
      manager.fetchOrder({ instrumentId: instrumentId('BTCUSDT', 'C'), clientOrderId: 'x' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SYMBOL' });
  });

  it('moves market data to a healthy venue when the home venue goes silent, and back', async () => {
    const { clock, a, b, manager } = setup();
    await manager.connect();
    const heard: TradeTickEvent[] = [];
    const moves: MarketDataFailoverEvent[] = [];
    manager.marketData.on('trade', (event) => heard.push(event));
    manager.health.on('failover', (event) => moves.push(event));
    const subscription = { kind: 'trades', instrumentId: instrumentId('BTCUSDT', 'A') } as const;
    await manager.subscribe(subscription);
    a.onTradeTick(trade('A', 1, 100, clock.now()));
    b.onTradeTick(trade('B', 1, 200, clock.now()));
    expect(heard.map((event) => event.trade.price)).toEqual([100]);
    clock.advanceBy(11_000);
    await Promise.resolve();
    expect(manager.healthReports().find((report) => report.venue === 'A')?.status).toBe('DOWN');
    expect(manager.sourceOf(subscription)).toBe('B');
    await new Promise((resolve) => setImmediate(resolve));
    b.onTradeTick(trade('B', 2, 201, clock.now()));
    expect(heard.at(-1)?.trade.price).toBe(201);
    expect(heard.at(-1)?.instrumentId).toBe('BTCUSDT.A');
    // A speaks again: it is healthy at the next check and takes its subscription back.
    a.onTradeTick(trade('A', 2, 101, clock.now()));
    clock.advanceBy(1000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(manager.sourceOf(subscription)).toBe('A');
    expect(moves.map((move) => [move.from, move.to])).toEqual([
      ['A', 'B'],
      ['B', 'A'],
    ]);
    b.onTradeTick(trade('B', 3, 202, clock.now()));
    expect(heard.map((event) => event.trade.price)).toEqual([100, 201]);
  });
});
