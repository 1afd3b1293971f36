import {
  type Bar,
  createBarEvent,
  createOrderRequest,
  Instrument,
  instrumentId,
  SimulatedClock,
  toClientOrderId,
} from '@qtp/core';
import { type RecoveryReport, TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { InMemoryOrderJournal, type OrderJournal, OrderManager } from '@qtp/oms';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

const id = instrumentId('BTCUSDT', 'SIM');
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
    open: low + 20,
    high: low + 25,
    low,
    close: low + 5,
    volume: 100,
  };
}

async function startEngine(
  clock: SimulatedClock,
  exchange: SimulatedExchange,
  journal: OrderJournal,
): Promise<{ engine: TradingEngine; report: RecoveryReport }> {
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [btc],
    orderJournal: journal,
    recovery: { orphans: 'adopt' },
  });
  let report: RecoveryReport | undefined;
  engine.bus.subscribe('engine.recovered', (event) => {
    report = event.report;
  });
  await engine.start();
  return { engine, report: report! };
}

describe('recovery adopting venue orders into a PostgresOrderJournal', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema();
    await migrate(db.pool);
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('adopts an order another process placed, books its later fill once, and does not adopt it again after a restart', async () => {
    const clock = new SimulatedClock({ startMs: START });
    const exchange = new SimulatedExchange({
      clock,
      instruments: [btc],
      balances: { USDT: '10000' },
    });
    // Another trading process, with a journal of its own, places a limit buy of 3 at 95.
    const other = new OrderManager({
      gateway: exchange,
      instruments: [btc],
      clock,
      journal: new InMemoryOrderJournal(),
    });
    other.submit(
      createOrderRequest({
        instrumentId: id,
        side: 'BUY',
        type: 'LIMIT',
        price: '95',
        quantity: '3',
        clientOrderId: toClientOrderId('other-7'),
      }),
    );
    await other.flush();
    other.close();

    const journal = new PostgresOrderJournal({ pool: db.pool });
    const first = await startEngine(clock, exchange, journal);
    expect(
      first.report.external.map((order) => [order.report.clientOrderId, order.action]),
    ).toEqual([['other-7', 'adopted']]);
    const adopted = first.engine.orderManager.getOrder(toClientOrderId('other-7'))!;
    expect(adopted.tags).toEqual(['external']);
    expect(await journal.statuses('other-7')).toEqual(['ACCEPTED']);

    // The bar trades through 95 and fills the 3 at the limit.
    exchange.process(createBarEvent(bar(1, 90)));
    await first.engine.orderManager.flush();
    expect(adopted.status).toBe('FILLED');
    const venueFills = await exchange.fetchOrderFills({
      instrumentId: id,
      clientOrderId: toClientOrderId('other-7'),
    });
    expect(venueFills.map((fill) => `${fill.quantity}@${fill.price}`)).toEqual(['3@95']);
    const booked = await journal.fills({ instrumentId: id });
    expect(
      booked.map((fill) => [fill.tradeId, fill.clientOrderId, fill.quantity, fill.price]),
    ).toEqual([[venueFills[0]!.tradeId, 'other-7', '3', '95']]);
    // 10000 USDT less 3 at 95 is 9715.
    expect(first.engine.portfolio.balancesByAsset().get('BTC')?.toString()).toBe('3');
    expect(first.engine.portfolio.balancesByAsset().get('USDT')?.toString()).toBe('9715');
    await first.engine.stop();

    // A restart on a fresh connection to the same journal finds the order journaled and filled.
    const second = await startEngine(
      clock,
      exchange,
      new PostgresOrderJournal({ pool: db.pool2() }),
    );
    expect(second.report.journaled).toBe(1);
    expect(second.report.external).toEqual([]);
    expect(second.report.externalTrades).toBe(0);
    expect(second.report.fillsBooked).toBe(0);
    expect(await journal.fills({ instrumentId: id })).toHaveLength(1);
    expect((await journal.history('other-7')).map((record) => record.status)).toEqual([
      'ACCEPTED',
      'FILLED',
    ]);
    await second.engine.stop();
  });
});
