// Parents journaled beside their children, then a restart: a new order manager on the same
// journal and venue recovers the children, and the restart policy resumes or cancels each parent.
import {
  type Bar,
  createBarEvent,
  EventBus,
  type ExecutionAlgorithm,
  Instrument,
  instrumentId,
  type OrderEvent,
  parentTag,
  SimulatedClock,
  type TimerId,
} from '@qtp/core';
import { SimulatedExchange } from '@qtp/exchange';
import {
  InMemoryOrderJournal,
  JournaledExecution,
  type OmsEvents,
  OrderManager,
  recoverParents,
} from '@qtp/oms';
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
const MINUTE = 60_000;

function bar(index: number): Bar {
  const open = 100 + index;
  return {
    instrumentId: id,
    interval: '1m',
    openTimeMs: START + index * MINUTE,
    closeTimeMs: START + (index + 1) * MINUTE - 1,
    open,
    high: open + 2,
    low: open - 2,
    close: open + 1,
    volume: 1000,
  };
}

/** One process: an order manager on the shared venue and journal, hosting algorithms. */
function processOn(
  exchange: SimulatedExchange,
  clock: SimulatedClock,
  journal: InMemoryOrderJournal,
) {
  const bus = new EventBus<OmsEvents>({ clock });
  const oms = new OrderManager({ gateway: exchange, instruments: [btc], clock, bus, journal });
  const hosted: ExecutionAlgorithm[] = [];
  const timers: TimerId[] = [];
  const route = (clientOrderId: string) =>
    hosted.find((algorithm) =>
      algorithm.parent.children.some((child) => child.clientOrderId === clientOrderId),
    );
  bus.subscribe('order.*', (event: OrderEvent) => {
    if (event.type === 'order.denied' || event.type === 'order.anomaly') return;
    const algorithm = route(event.clientOrderId);
    if (algorithm === undefined) return;
    if (event.type === 'order.fill') {
      algorithm.onChildFill(event.fill);
      return;
    }
    algorithm.onChildUpdate({
      instrumentId: event.instrumentId,
      clientOrderId: event.clientOrderId,
      venueOrderId: event.venueOrderId ?? '',
      status: event.status,
      filledQuantity: event.filledQuantity,
      timeMs: event.timeMs,
    });
  });
  return {
    oms,
    /** Stops the process as a crash would: no timer fires, nothing more is heard or sent. */
    kill() {
      for (const timer of timers) clock.cancel(timer);
      oms.close();
    },
    run(algorithm: ExecutionAlgorithm, parentId: string) {
      hosted.push(algorithm);
      algorithm.start(
        {
          instrument: btc,
          now: () => clock.now(),
          submitChild: (input) =>
            oms.submit({ ...input, tags: [parentTag(parentId)] }).clientOrderId,
          cancelChild: (clientOrderId) => void oms.cancel(clientOrderId),
          wakeAt: (atMs) => {
            timers.push(clock.setAlarm(() => algorithm.onTimer(clock.now()), atMs));
          },
        },
        parentId,
      );
    },
    /** Closes bar `index`: the venue matches it, then the algorithms see it. */
    async step(index: number) {
      const event = createBarEvent(bar(index));
      clock.advanceTo(bar(index).closeTimeMs);
      exchange.process(event);
      await oms.flush();
      for (const algorithm of hosted) algorithm.onMarketData(event);
      await oms.flush();
    },
  };
}

function venue() {
  const clock = new SimulatedClock({ startMs: START });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '1000000', BTC: '100' },
  });
  return { clock, exchange, journal: new InMemoryOrderJournal() };
}

describe('parents across a restart', () => {
  it('resumes a TWAP for the unfilled rest, keeping its end time, and the two fill the quantity', async () => {
    const { clock, exchange, journal } = venue();
    const first = processOn(exchange, clock, journal);
    const spec = {
      algorithm: 'TWAP' as const,
      options: {
        instrumentId: id,
        side: 'BUY' as const,
        quantity: '6',
        durationMs: 6 * MINUTE,
        slices: 6,
      },
    };
    const before = new JournaledExecution(spec, { journal });
    first.run(before, 'P1');
    for (let i = 0; i < 3; i++) await first.step(i);
    await before.flush();
    // Three slices sent (at bars 0, 1 and 2), two filled at the next bar's open.
    expect(before.parent.children).toHaveLength(3);
    expect(before.parent.filledQuantity.toString()).toBe('2');
    const written = (await journal.loadParents())[0]!;
    expect([written.id, written.status, written.filledQuantity, written.children]).toEqual([
      'P1',
      'WORKING',
      '2',
      3,
    ]);

    // The process dies; the third child fills at bar 3 on the venue while nobody listens.
    first.kill();
    exchange.process(createBarEvent(bar(3)));
    clock.advanceTo(bar(3).closeTimeMs);
    const second = processOn(exchange, clock, journal);
    await second.oms.recover();
    const [outcome] = await recoverParents({
      journal,
      orders: second.oms,
      policy: 'resume',
      nowMs: clock.now(),
    });
    expect(outcome!.action).toBe('resumed');
    expect(outcome!.filledQuantity).toBe('3');
    expect(outcome!.canceledChildren).toEqual([]);
    const ended = (await journal.loadParents()).find((record) => record.id === 'P1')!;
    expect(ended.status).toBe('CANCELED');
    expect(ended.reason).toBe('resumed after a restart for the unfilled 3');

    // The rest, 3, over what is left of the window: it began at bar 0's close, so it ends
    // six minutes later; bar 3 closed one millisecond short of four minutes in.
    const after = outcome!.algorithm!;
    second.run(after, 'P2');
    expect(after.parent.quantity.toString()).toBe('3');
    for (let i = 4; i < 12; i++) await second.step(i);
    await after.flush();
    expect(after.parent.status).toBe('FILLED');
    // Three of the six minutes were left: three slices a minute apart, as the original's were,
    // at bars 3, 4 and 5's closes; the last filled at bar 6's open.
    expect(after.parent.startTimeMs).toBe(bar(3).closeTimeMs);
    expect(after.parent.children.map((child) => child.sentTimeMs)).toEqual(
      [3, 4, 5].map((i) => bar(i).closeTimeMs),
    );
    expect(after.parent.endTimeMs).toBe(bar(6).openTimeMs);
    const resumed = (await journal.loadParents()).find((record) => record.id === 'P2')!;
    expect([resumed.resumedFrom, resumed.status, resumed.quantity]).toEqual(['P1', 'FILLED', '3']);
    // Every fill of either parent's children, as journaled, adds up to the original 6.
    await second.oms.flush();
    const bought = (await journal.loadAll())
      .filter((record) =>
        record.order.tags.some((tag) => tag === 'parent:P1' || tag === 'parent:P2'),
      )
      .reduce((sum, record) => sum + Number(record.order.filledQuantity), 0);
    expect(bought).toBe(6);
  });

  it('cancels a parent and its resting child by policy', async () => {
    const { clock, exchange, journal } = venue();
    const first = processOn(exchange, clock, journal);
    const iceberg = new JournaledExecution(
      {
        algorithm: 'ICEBERG',
        options: {
          instrumentId: id,
          side: 'BUY',
          quantity: '3',
          displayQuantity: '1',
          limitPrice: '50',
        },
      },
      { journal },
    );
    first.run(iceberg, 'P1');
    await first.step(0);
    await first.step(1);
    await iceberg.flush();
    const [child] = iceberg.parent.children;
    expect(child).toBeDefined();

    first.kill();
    const second = processOn(exchange, clock, journal);
    await second.oms.recover();
    const outcomes = await recoverParents({
      journal,
      orders: second.oms,
      policy: (record) => (record.algorithm === 'ICEBERG' ? 'cancel' : 'resume'),
      nowMs: clock.now(),
    });
    expect(outcomes.map((o) => [o.action, o.filledQuantity, o.canceledChildren])).toEqual([
      ['canceled', '0', [child!.clientOrderId]],
    ]);
    await second.oms.flush();
    const report = await exchange.fetchOrder({
      instrumentId: id,
      clientOrderId: child!.clientOrderId,
    });
    expect(report.status).toBe('CANCELED');
    const record = (await journal.loadParents())[0]!;
    expect([record.status, record.reason]).toEqual(['CANCELED', 'canceled on restart by policy']);
    // A second recovery finds nothing left to do.
    expect(
      await recoverParents({ journal, orders: second.oms, policy: 'resume', nowMs: clock.now() }),
    ).toEqual([]);
  });

  it('ends as filled a parent whose children filled everything before it could write so', async () => {
    const { clock, exchange, journal } = venue();
    const first = processOn(exchange, clock, journal);
    const twap = new JournaledExecution(
      {
        algorithm: 'TWAP',
        options: { instrumentId: id, side: 'SELL', quantity: '1', durationMs: MINUTE, slices: 1 },
      },
      { journal },
    );
    first.run(twap, 'P1');
    await first.step(0);
    await twap.flush();
    // Its only child fills while the process is down.
    first.kill();
    exchange.process(createBarEvent(bar(1)));
    const second = processOn(exchange, clock, journal);
    await second.oms.recover();
    const [outcome] = await recoverParents({
      journal,
      orders: second.oms,
      policy: 'resume',
      nowMs: clock.now(),
    });
    expect([outcome!.action, outcome!.filledQuantity]).toEqual(['filled', '1']);
    expect(outcome!.algorithm).toBeUndefined();
  });
});
