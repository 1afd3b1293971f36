// The live router on two simulated venues behind one order manager: it splits by price after
// fees, re-routes the rest of a refused child, and never sends to a venue whose breaker is open.
import {
  createBookSnapshotEvent,
  Decimal,
  EventBus,
  Instrument,
  type InstrumentId,
  instrumentId,
  SimulatedClock,
} from '@qtp/core';
import { bookFillModel, ExchangeManager, fixedLatency, SimulatedExchange } from '@qtp/exchange';
import { LiveRouter, type OmsEvents, OrderManager, type RouterVenue } from '@qtp/oms';
import { describe, expect, it } from 'vitest';

const START = Date.UTC(2024, 0, 1);

function instrumentOn(venue: string): Instrument {
  return new Instrument({
    id: instrumentId('BTCUSDT', venue),
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.001',
    takerFee: '0.001',
  });
}

type Asks = [price: number, size: number][];

/**
 * Two venues, A and B, each showing `asks`; `funds` is each one's USDT. The router reads a venue's
 * book as its snapshot less what the order manager reports filled there at each price.
 */
function setup(
  books: { A: Asks; B: Asks },
  funds: { A: string; B: string },
  options: { shownA?: Asks; latencyA?: number } = {},
) {
  const clock = new SimulatedClock({ startMs: START });
  const a = instrumentOn('A');
  const b = instrumentOn('B');
  const venues = { A: a, B: b };
  const exchanges = (['A', 'B'] as const).map(
    (name) =>
      new SimulatedExchange({
        venue: name,
        clock,
        instruments: [venues[name]],
        balances: { USDT: funds[name] },
        fillModel: bookFillModel(),
        ...(name === 'A' && options.latencyA !== undefined
          ? { latency: fixedLatency({ submitMs: options.latencyA }) }
          : {}),
      }),
  );
  const manager = new ExchangeManager({ exchanges, clock });
  const bus = new EventBus<OmsEvents>({ clock });
  const oms = new OrderManager({ gateway: manager, instruments: [a, b], clock, bus });
  const taken = new Map<string, number>();
  bus.subscribe('order.fill', (event) => {
    const key = `${event.instrumentId}@${event.fill.price}`;
    taken.set(key, (taken.get(key) ?? 0) + event.fill.quantity.toNumber());
  });
  for (const [name, asks] of Object.entries(books) as ['A' | 'B', Asks][]) {
    exchanges[name === 'A' ? 0 : 1]!.process(
      createBookSnapshotEvent({
        instrumentId: venues[name].id,
        sequence: 1,
        bids: [{ price: 90, size: 10 }],
        asks: asks.map(([price, size]) => ({ price, size })),
        timeMs: START,
      }),
    );
  }
  const breakers = new Set<InstrumentId>();
  const routerVenue = (name: 'A' | 'B'): RouterVenue => ({
    instrument: venues[name],
    levels: () =>
      (name === 'A' ? (options.shownA ?? books.A) : books.B)
        .map(([price, size]) => ({
          price: new Decimal(price),
          size: new Decimal(size).minus(taken.get(`${venues[name].id}@${price}`) ?? 0),
        }))
        .filter((level) => level.size.gt(0)),
    breakerOpen: () => breakers.has(venues[name].id),
  });
  const router = new LiveRouter({ orders: oms, bus, venues: [routerVenue('A'), routerVenue('B')] });
  return { router, oms, a, b, breakers, clock };
}

const RICH = { A: '1000000', B: '1000000' };

describe('LiveRouter', () => {
  it('splits across the two books best price first and fills the whole order', async () => {
    const { router, oms, a, b } = setup(
      {
        A: [
          [100, 1],
          [101, 5],
        ],
        B: [
          [100.5, 1],
          [102, 5],
        ],
      },
      RICH,
    );
    const order = await router.route('BUY', new Decimal('2')).settled;
    await oms.flush();
    expect(order.status).toBe('FILLED');
    // 1 at 100 on A, then 1 at 100.5 on B (fees alike): average 100.25.
    expect(
      order.children.map((c) => [c.instrumentId, c.quantity.toString(), c.limitPrice.toString()]),
    ).toEqual([
      [a.id, '1', '100'],
      [b.id, '1', '100.5'],
    ]);
    expect(order.averageFillPrice!.toString()).toBe('100.25');
  });

  it('re-routes the rest of a refused child to the other venue and never back', async () => {
    // A has no funds: its child is refused; the rest goes to B, whose 100.5 the first B child took.
    const { router, oms, a, b } = setup(
      {
        A: [
          [100, 1],
          [101, 5],
        ],
        B: [
          [100.5, 1],
          [102, 5],
        ],
      },
      { A: '0', B: '1000000' },
    );
    const order = await router.route('BUY', new Decimal('2')).settled;
    await oms.flush();
    expect(order.status).toBe('FILLED');
    const rows = order.children.map((c) => [c.instrumentId, c.status, c.limitPrice.toString()]);
    expect(rows).toEqual([
      [a.id, 'REJECTED', '100'],
      [b.id, 'FILLED', '100.5'],
      [b.id, 'FILLED', '102'],
    ]);
    expect(order.averageFillPrice!.toString()).toBe('101.25');
    expect(order.rounds).toBe(2);
  });

  it('sends nothing to a venue whose breaker is open, though its price is best', async () => {
    const { router, oms, a, b, breakers } = setup(
      {
        A: [[99, 10]],
        B: [
          [100.5, 1],
          [102, 5],
        ],
      },
      RICH,
    );
    breakers.add(a.id);
    const order = await router.route('BUY', new Decimal('2')).settled;
    await oms.flush();
    expect(order.status).toBe('FILLED');
    expect(order.children.every((child) => child.instrumentId === b.id)).toBe(true);
  });

  it('routes the rest of a child whose venue breaker opened while it was in flight elsewhere', async () => {
    // A shows 3 at 100 but holds 1; its orders take 100 ms to arrive.
    const { router, oms, a, b, breakers, clock } = setup({ A: [[100, 1]], B: [[100.5, 5]] }, RICH, {
      shownA: [[100, 3]],
      latencyA: 100,
    });
    const working = router.route('BUY', new Decimal('3'));
    expect(working.children.map((c) => [c.instrumentId, c.quantity.toString()])).toEqual([
      [a.id, '3'],
    ]);
    // While the child is in flight A's breaker opens; A still shows the best price.
    breakers.add(a.id);
    router.breakerOpened(a.id);
    clock.advanceBy(200);
    const order = await working.settled;
    await oms.flush();
    expect(order.status).toBe('FILLED');
    // A's child took the 1 A had; the 2 it left went to B, not back to A.
    expect(order.children.map((c) => [c.instrumentId, c.filledQuantity.toString()])).toEqual([
      [a.id, '1'],
      [b.id, '2'],
    ]);
    expect(order.averageFillPrice!.toString()).toBe(new Decimal(100 + 2 * 100.5).div(3).toString());
  });

  it('ends with the rest when no venue shows enough', async () => {
    const { router } = setup({ A: [[100, 1]], B: [[101, 1]] }, RICH);
    const order = await router.route('BUY', new Decimal('3')).settled;
    expect(order.status).toBe('DONE');
    expect(order.filledQuantity.toString()).toBe('2');
    expect(order.reason).toMatch(/no venue takes the rest 1/);
  });
});
