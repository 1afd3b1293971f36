import {
  type Bar,
  createBarEvent,
  createOrderRequest,
  Decimal,
  EventBus,
  Instrument,
  instrumentId,
  isQtpError,
  SimulatedClock,
  toClientOrderId,
} from '@qtp/core';
import { SimulatedExchange } from '@qtp/exchange';
import { InMemoryOrderJournal, type OmsEvents, OrderManager } from '@qtp/oms';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'BINANCE');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});
const START = Date.UTC(2024, 0, 1);

function bar(index: number, low: number): Bar {
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs: START + index * 60_000,
    closeTimeMs: START + (index + 1) * 60_000 - 1,
    open: low + 5,
    high: low + 10,
    low,
    close: low + 5,
    volume: 100,
  };
}

// A venue with an order on it that another process placed: a limit buy of 2 at 40.
async function venueWithForeignOrder() {
  const clock = new SimulatedClock({ startMs: START });
  const exchange = new SimulatedExchange({ clock, instruments: [btc], balances: { USDT: '1000' } });
  await exchange.placeOrder(
    createOrderRequest({
      instrumentId: id,
      side: 'BUY',
      type: 'LIMIT',
      price: '40',
      quantity: '2',
      clientOrderId: toClientOrderId('other-1'),
    }),
  );
  return { clock, exchange };
}

function manager(
  exchange: SimulatedExchange,
  clock: SimulatedClock,
  journal: InMemoryOrderJournal,
) {
  const bus = new EventBus<OmsEvents>({ clock });
  const fills: string[] = [];
  bus.subscribe('order.fill', (event) =>
    fills.push(`${event.fill.tradeId}:${event.fill.quantity}`),
  );
  const oms = new OrderManager({ gateway: exchange, instruments: [btc], clock, bus, journal });
  return { oms, fills };
}

describe('OrderManager.adopt', () => {
  it('journals a venue order it did not place, tagged external, with the venue terms', async () => {
    const { clock, exchange } = await venueWithForeignOrder();
    const journal = new InMemoryOrderJournal();
    const { oms } = manager(exchange, clock, journal);
    const [report] = await exchange.fetchOpenOrders(id);
    const order = await oms.adopt(report!, { tags: ['manual'] });
    expect(order.status).toBe('ACCEPTED');
    expect(order.tags).toEqual(['external', 'manual']);
    expect([order.side, order.type, order.quantity.toString(), order.price?.toString()]).toEqual([
      'BUY',
      'LIMIT',
      '2',
      '40',
    ]);
    expect(order.venueOrderId).toBe(report!.venueOrderId);
    const record = await journal.get('other-1');
    expect(record?.status).toBe('ACCEPTED');
    expect(record?.order.tags).toEqual(['external', 'manual']);
    expect(record?.sentTimeMs).toBe(START);
  });

  it('books the fills the venue made before and after adoption once each, by trade id', async () => {
    const { clock, exchange } = await venueWithForeignOrder();
    // A bar that trades through 40 with a volume of 0.5: the buy of 2 fills 0.5 of it.
    exchange.process(createBarEvent({ ...bar(1, 35), volume: 0.5 }));
    const ref = { instrumentId: id, clientOrderId: toClientOrderId('other-1') };
    expect((await exchange.fetchOrderFills(ref)).map((fill) => fill.quantity.toString())).toEqual([
      '0.5',
    ]);
    const journal = new InMemoryOrderJournal();
    const { oms, fills } = manager(exchange, clock, journal);
    const [report] = await exchange.fetchOpenOrders(id);
    const order = await oms.adopt(report!);
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(order.filledQuantity.toString()).toBe('0.5');
    // The rest, 1.5, fills in the next bar, after adoption.
    exchange.process(createBarEvent(bar(2, 30)));
    await oms.flush();
    expect(order.status).toBe('FILLED');
    expect(order.filledQuantity.toString()).toBe('2');
    const venueFills = await exchange.fetchOrderFills({
      instrumentId: id,
      clientOrderId: order.clientOrderId,
    });
    expect(venueFills.map((fill) => fill.quantity.toString())).toEqual(['0.5', '1.5']);
    expect(fills).toEqual(venueFills.map((fill) => `${fill.tradeId}:${fill.quantity}`));
    expect(new Set(fills).size).toBe(fills.length);
    expect((await journal.get('other-1'))?.status).toBe('FILLED');
  });

  it('refuses an id the journal already holds, and a report without the order terms', async () => {
    const { clock, exchange } = await venueWithForeignOrder();
    const journal = new InMemoryOrderJournal();
    const first = manager(exchange, clock, journal);
    const [report] = await exchange.fetchOpenOrders(id);
    await first.oms.adopt(report!);
    first.oms.close();
    const second = manager(exchange, clock, journal);
    await second.oms.recover();
    await expect(second.oms.adopt(report!)).rejects.toSatisfy(
      (error: unknown) =>
        isQtpError(error, 'VALIDATION') && error.message.includes('clientOrderId'),
    );
    const { side: _side, ...bare } = report!;
    const third = manager(exchange, clock, new InMemoryOrderJournal());
    await expect(third.oms.adopt(bare)).rejects.toSatisfy(
      (error: unknown) => isQtpError(error, 'VALIDATION') && error.message.startsWith('side'),
    );
    expect(third.oms.getOrder(report!.clientOrderId)).toBeUndefined();
  });
});

describe('OrderManager.adopt, for any fills before and after adoption', () => {
  it('books every venue fill once by trade id, and a restart books none again', async () => {
    // Bar volumes in thousandths of a BTC: each bar trades through 40 and fills at most its volume.
    const volumes = fc.array(fc.integer({ min: 1, max: 1_500 }), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(volumes, volumes, async (before, after) => {
        const { clock, exchange } = await venueWithForeignOrder();
        let index = 1;
        const trade = (volume: number) =>
          exchange.process(createBarEvent({ ...bar(index++, 35), volume: volume / 1_000 }));
        for (const volume of before) trade(volume);
        const [report] = await exchange.fetchOpenOrders(id);
        if (report === undefined) return; // filled entirely before it could be adopted
        const journal = new InMemoryOrderJournal();
        const { oms, fills } = manager(exchange, clock, journal);
        const order = await oms.adopt(report);
        for (const volume of after) trade(volume);
        await oms.flush();
        const ref = { instrumentId: id, clientOrderId: order.clientOrderId };
        const venueFills = await exchange.fetchOrderFills(ref);
        expect(fills).toEqual(venueFills.map((fill) => `${fill.tradeId}:${fill.quantity}`));
        const expected = Decimal.min(
          new Decimal(2),
          [...before, ...after]
            .reduce((sum, volume) => sum.plus(volume), new Decimal(0))
            .div(1_000),
        );
        expect(order.filledQuantity.toString()).toBe(expected.toString());
        expect((await journal.get('other-1'))?.order.filledQuantity).toBe(expected.toString());
        oms.close();
        const restarted = manager(exchange, clock, journal);
        await restarted.oms.recover();
        await restarted.oms.flush();
        expect(restarted.fills).toEqual([]);
        restarted.oms.close();
      }),
      { numRuns: 50 },
    );
  });
});
