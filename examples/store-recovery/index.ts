// An engine journals its orders to PostgreSQL and dies with them working; while it is down the
// venue fills one and someone places an order by hand. A second engine on the same journal
// starts RECONCILING: it books the missed fill once, cancels the order it never placed, reports
// what it found on `engine.recovered`, and only then starts its strategies.
// Set DATABASE_URL to use your own server; without it a throwaway PostgreSQL is started.
import {
  createBarEvent,
  createOrderRequest,
  Instrument,
  instrumentId,
  SeededIdGenerator,
  SimulatedClock,
  toClientOrderId,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { migrate, PostgresOrderJournal } from '@qtp/store/postgres';
import { startPostgres } from '@qtp/test-services';
import pg from 'pg';

const server = process.env.DATABASE_URL === undefined ? await startPostgres() : undefined;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? server!.url });
await migrate(pool);
const journal = new PostgresOrderJournal({ pool });

const id = instrumentId('BTCUSDT', 'BINANCE');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});
const clock = new SimulatedClock({ startMs: Date.UTC(2024, 0, 1) });
// The venue outlives both engines.
const venue = new SimulatedExchange({ clock, instruments: [btc], balances: { USDT: '100000' } });
const wiring = {
  clock,
  exchanges: [venue],
  instruments: [btc],
  orderJournal: journal,
  idGenerator: new SeededIdGenerator({ seed: 42 }),
};

// First life: two resting buys, journaled before they leave.
const first = new TradingEngine(wiring);
await first.start();
const near = first.orderManager.submit(
  createOrderRequest({
    instrumentId: id,
    side: 'BUY',
    type: 'LIMIT',
    price: '26900',
    quantity: '0.1',
  }),
);
first.orderManager.submit(
  createOrderRequest({
    instrumentId: id,
    side: 'BUY',
    type: 'LIMIT',
    price: '25000',
    quantity: '0.2',
  }),
);
await first.orderManager.flush();
first.orderManager.close(); // the process dies here: nothing hears the venue any more

// While it is down, the venue trades through 26 900 and a person places an order by hand.
const minute = 60_000;
venue.process(
  createBarEvent({
    instrumentId: id,
    interval: '1m',
    openTimeMs: clock.now(),
    closeTimeMs: clock.now() + minute - 1,
    open: 27_000,
    high: 27_050,
    low: 26_850,
    close: 26_950,
    volume: 12,
  }),
);
await venue.placeOrder(
  createOrderRequest({
    instrumentId: id,
    side: 'BUY',
    type: 'LIMIT',
    price: '20000',
    quantity: '1',
    clientOrderId: toClientOrderId('by-hand-1'),
  }),
);

// Second life: the same journal; RECONCILING before anything trades.
const second = new TradingEngine({ ...wiring, recovery: { orphans: 'cancel' } });
second.bus.subscribe('engine.recovered', ({ report }) => {
  console.log(
    'recovered',
    report.recovered.length,
    'open orders;',
    'missed fills booked:',
    report.fillsBooked,
    ';',
    'external:',
    report.external.map((order) => `${order.report.clientOrderId} ${order.action}`),
  );
});
await second.start();
console.log(
  'near order',
  near.clientOrderId,
  'is',
  second.orderManager.getOrder(near.clientOrderId)?.status,
);
console.log(
  'journaled fills',
  (await journal.fills()).map((fill) => `${fill.quantity} @ ${fill.price}`),
);
console.log(
  'venue open orders',
  (await venue.fetchOpenOrders()).map((order) => order.clientOrderId),
);

second.orderManager.close();
await pool.end();
await server?.stop();
