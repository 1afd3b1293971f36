import {
  type Bar,
  EventBus,
  type ExecutionEvents,
  type ExecutionFillEvent,
  type OrderGateway,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { fixedLatency, SimulatedExchange } from '@qtp/exchange';
import {
  InMemoryOrderJournal,
  type OmsEvents,
  OrderManager,
  type OrderManagerOptions,
} from '@qtp/oms';
import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { BTC, btc, limitBuy, settle } from './support/fixtures.js';

const MINUTE = 60_000;
const START = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE);

function bar(index: number, open: number, high: number, low: number, close: number): Bar {
  return {
    instrumentId: BTC,
    interval: '1m',
    openTimeMs: START + index * MINUTE,
    closeTimeMs: START + (index + 1) * MINUTE - 1,
    open,
    high,
    low,
    close,
    volume: 50,
  };
}

function venue(options: { latencyMs?: number; usdt?: string } = {}) {
  const clock = new SimulatedClock({ startMs: START });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: options.usdt ?? '100000', BTC: '1' },
    ...(options.latencyMs === undefined
      ? {}
      : { latency: fixedLatency({ submitMs: options.latencyMs }) }),
  });
  const bus = new EventBus<OmsEvents>({ clock });
  const events: string[] = [];
  bus.subscribe('order.*', (event) => {
    events.push(`${event.type}:${'status' in event ? event.status : ''}`);
  });
  const options_: OrderManagerOptions = {
    gateway: exchange,
    instruments: [btc],
    clock,
    bus,
    idGenerator: new SeededIdGenerator({ seed: 3 }),
    logger: createLogger({ level: 'silent' }),
  };
  return { clock, exchange, bus, events, options: options_ };
}

/** Moves the clock to the bar's close and lets the venue match it. */
function play(clock: SimulatedClock, exchange: SimulatedExchange, next: Bar): void {
  clock.advanceTo(next.closeTimeMs);
  exchange.onBar(next);
}

describe('OrderManager on the SimulatedExchange', () => {
  it('places, acknowledges and fills an order, publishing each step', async () => {
    const { clock, exchange, events, options } = venue();
    const oms = new OrderManager(options);
    const order = oms.submit({ ...limitBuy, price: '27000.019' });
    expect(order.status).toBe('ACCEPTED');
    expect(order.price?.toString()).toBe('27000.01');
    play(clock, exchange, bar(0, 27_100, 27_150, 26_900, 27_050));
    expect(order.status).toBe('FILLED');
    expect(order.averageFillPrice?.toString()).toBe('27000.01');
    expect(events).toEqual([
      'order.submitted:SUBMITTED',
      'order.accepted:ACCEPTED',
      'order.fill:FILLED',
      'order.filled:FILLED',
    ]);
    expect(oms.openOrders()).toEqual([]);
  });

  it('books a venue fill once: fetched by reconcile after its events were lost, then replayed', async () => {
    const { clock, exchange, options } = venue();
    // The venue behind a stream the test controls: it holds back every report.
    const held: ExecutionFillEvent[] = [];
    const executions = new EventEmitter<ExecutionEvents>();
    exchange.executions.on('fill', (event) => held.push(event));
    const gateway: OrderGateway = {
      executions,
      placeOrder: (request) => exchange.placeOrder(request),
      cancelOrder: (ref) => exchange.cancelOrder(ref),
      fetchOrder: (ref) => exchange.fetchOrder(ref),
      fetchOrderFills: (ref) => exchange.fetchOrderFills(ref),
    };
    const oms = new OrderManager({ ...options, gateway });
    const order = oms.submit({ ...limitBuy, price: '27000' });
    await settle();
    play(clock, exchange, bar(0, 27_100, 27_150, 26_900, 27_050));
    expect(order.status).toBe('ACCEPTED');
    await oms.reconcile();
    expect(order.status).toBe('FILLED');
    expect(order.fills.map((fill) => fill.tradeId)).toEqual([held[0]?.fill.tradeId]);
    expect(order.fees).toEqual([held[0]?.fill.fee]);
    for (const event of held) executions.emit('fill', event);
    expect(order.filledQuantity.toString()).toBe('0.01');
    expect(order.fills).toHaveLength(1);
  });

  it('reaches the venue from a bar handler without awaiting, on simulated time', () => {
    const { clock, exchange, options } = venue();
    const oms = new OrderManager(options);
    const bars = [
      bar(0, 27_000, 27_100, 26_900, 27_050),
      bar(1, 27_060, 27_200, 27_000, 27_150),
      bar(2, 27_150, 27_300, 27_100, 27_250),
    ];
    exchange.marketData.on('bar', ({ bar: closed }) => {
      // A strategy's handler: it submits and returns, synchronously.
      if (closed.openTimeMs === bars[0]!.openTimeMs) {
        oms.submit({ instrumentId: BTC, side: 'BUY', type: 'MARKET', quantity: '0.01' });
      }
    });
    void exchange.subscribe({ kind: 'bars', instrumentId: BTC, interval: '1m' });
    for (const next of bars) play(clock, exchange, next);
    const [order] = oms.orders();
    expect(order?.status).toBe('FILLED');
    // Filled at the open of the bar after the one that triggered it.
    expect(order?.averageFillPrice?.toString()).toBe('27060');
  });

  it('sends a journaled order once its record is stored and the venue latency has passed', async () => {
    const { clock, exchange, options } = venue({ latencyMs: 40 });
    const journal = new InMemoryOrderJournal();
    const oms = new OrderManager({ ...options, journal });
    const order = oms.submit(limitBuy);
    expect(order.status).toBe('INITIALIZED');
    await oms.flush();
    expect(order.status).toBe('SUBMITTED');
    clock.advanceBy(40);
    expect(order.status).toBe('ACCEPTED');
    play(clock, exchange, bar(0, 26_990, 27_010, 26_950, 26_980));
    await oms.flush();
    expect(order.status).toBe('FILLED');
    expect((await journal.get(order.clientOrderId))?.status).toBe('FILLED');
  });

  it('cancels a resting order at the venue', async () => {
    const { exchange, options } = venue();
    const oms = new OrderManager(options);
    const order = oms.submit(limitBuy);
    expect(await oms.cancel(order.clientOrderId)).toBe(true);
    expect(order.status).toBe('CANCELED');
    expect(await exchange.fetchOpenOrders()).toEqual([]);
  });

  it('rejects an order the venue refuses, with the venue reason', async () => {
    const { options } = venue({ usdt: '10' });
    const oms = new OrderManager(options);
    const order = oms.submit(limitBuy);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(order.status).toBe('REJECTED');
    expect(order.rejectReason).toMatch(/insufficient|balance|funds/i);
  });

  it('recovers after a restart and books the fills the venue made meanwhile', async () => {
    const { clock, exchange, options } = venue();
    const journal = new InMemoryOrderJournal();
    const first = new OrderManager({ ...options, journal });
    const resting = first.submit(limitBuy);
    const other = first.submit({ ...limitBuy, price: '26000' });
    await first.flush();
    expect(resting.status).toBe('ACCEPTED');
    first.close();
    // While the manager is down, the market trades through one of the orders.
    play(clock, exchange, bar(0, 27_100, 27_150, 26_900, 27_050));
    const second = new OrderManager({ ...options, journal });
    const result = await second.recover();
    expect(result.recovered.map((order) => order.clientOrderId).sort()).toEqual(
      [resting.clientOrderId, other.clientOrderId].sort(),
    );
    const recovered = second.getOrder(resting.clientOrderId)!;
    expect(recovered.status).toBe('FILLED');
    expect(recovered.filledQuantity.toString()).toBe('0.01');
    expect(recovered.averageFillPrice?.toString()).toBe('27000');
    expect(second.getOrder(other.clientOrderId)?.status).toBe('ACCEPTED');
    // The restarted manager follows the venue from here on.
    play(clock, exchange, bar(1, 26_100, 26_200, 25_900, 26_050));
    expect(second.getOrder(other.clientOrderId)?.status).toBe('FILLED');
    await second.flush();
    expect((await journal.get(other.clientOrderId))?.status).toBe('FILLED');
  });
});
