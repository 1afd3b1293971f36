/**
 * The Binance adapter's hot paths, each beside the same work done another way, in one run:
 * - depth diff: parse a `depthUpdate` frame and apply it to a local book (QTP's `DepthSync` on
 *   core's `OrderBook`) against a plain loop (JSON.parse, Number, a Map per side: the practical
 *   limit, with no validation or sequence checks);
 * - kline and trade: parse a stream frame into core's bar and trade (QTP) against JSON.parse
 *   alone, which is what the official connector `@binance/spot` hands its callers;
 * - WebSocket API orders: place and acknowledge one order against the local server through
 *   `BinanceExchange` and through `@binance/spot`'s WebSocket API, both logged on with Ed25519
 *   and subscribed to user data (QTP parses every execution report into an order update; the
 *   connector hands its listener the parsed JSON).
 */
import { createPrivateKey } from 'node:crypto';
import { Spot } from '@binance/spot';
import { createOrderRequest, Instrument, instrumentId, SeededRandom } from '@qtp/core';
import {
  BinanceExchange,
  DepthSync,
  parseDepthUpdate,
  parseKlineEvent,
  parseTradeEvent,
} from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { bench, do_not_optimize, group, summary } from 'mitata';

const ID = instrumentId('BTCUSDT', 'BINANCE');
const random = new SeededRandom(7);
const FRAMES = 5_000;

// A stream of contiguous diff frames around 37600, each touching three levels a side.
const frames: string[] = [];
for (let i = 0; i < FRAMES; i++) {
  const level = () => [
    (37_600 + Math.floor(random.next() * 40) / 100).toFixed(8),
    (Math.floor(random.next() * 4) / 2).toFixed(8),
  ];
  frames.push(
    JSON.stringify({
      e: 'depthUpdate',
      E: 1_700_000_000_000 + i,
      s: 'BTCUSDT',
      U: 1001 + i,
      u: 1001 + i,
      b: [level(), level(), level()].map(([p, q]) => [(Number(p) - 1).toFixed(8), q]),
      a: [level(), level(), level()],
    }),
  );
}
const snapshot = {
  instrumentId: ID,
  sequence: 1000,
  bids: [{ price: 37_590, size: 1 }],
  asks: [{ price: 37_610, size: 1 }],
  timeMs: 0,
};

let sync = new DepthSync({ instrumentId: ID });
sync.applySnapshot(snapshot);
let qtpIndex = 0;
let plainIndex = 0;
let plainBids = new Map<number, number>();
let plainAsks = new Map<number, number>();

const klineFrame = JSON.stringify({
  e: 'kline',
  E: 1700000062013,
  s: 'BTCUSDT',
  k: {
    t: 1700000040000,
    T: 1700000099999,
    s: 'BTCUSDT',
    i: '1m',
    f: 1,
    L: 2,
    o: '37590.01000000',
    c: '37600.00000000',
    h: '37612.40000000',
    l: '37588.00000000',
    v: '12.48210000',
    n: 1833,
    x: true,
    q: '469310.61734100',
    V: '6.10020000',
    Q: '229367.80010500',
    B: '0',
  },
});
const tradeFrame = JSON.stringify({
  e: 'trade',
  E: 1700000001905,
  s: 'BTCUSDT',
  t: 3319904411,
  p: '37600.00000000',
  q: '0.02000000',
  T: 1700000001904,
  m: true,
  M: true,
});

summary(() => {
  group('binance depth diff: parse and apply one frame', () => {
    bench('QTP parseDepthUpdate + DepthSync', () => {
      if (qtpIndex === FRAMES) {
        sync = new DepthSync({ instrumentId: ID });
        sync.applySnapshot(snapshot);
        qtpIndex = 0;
      }
      do_not_optimize(sync.applyDiff(parseDepthUpdate(JSON.parse(frames[qtpIndex++]!), ID)));
    });
    bench('plain loop (JSON.parse, Number, Map)', () => {
      if (plainIndex === FRAMES) {
        plainBids = new Map();
        plainAsks = new Map();
        plainIndex = 0;
      }
      const event = JSON.parse(frames[plainIndex++]!) as { b: string[][]; a: string[][] };
      for (const [p, q] of event.b) {
        const size = Number(q);
        if (size === 0) plainBids.delete(Number(p));
        else plainBids.set(Number(p), size);
      }
      for (const [p, q] of event.a) {
        const size = Number(q);
        if (size === 0) plainAsks.delete(Number(p));
        else plainAsks.set(Number(p), size);
      }
      do_not_optimize(plainBids.size);
    });
  });
});

summary(() => {
  group('binance kline and trade: parse one frame', () => {
    bench('QTP parseKlineEvent + parseTradeEvent', () => {
      do_not_optimize(parseKlineEvent(JSON.parse(klineFrame), ID));
      do_not_optimize(parseTradeEvent(JSON.parse(tradeFrame), ID));
    });
    bench('JSON.parse only (what @binance/spot hands over)', () => {
      do_not_optimize(JSON.parse(klineFrame));
      do_not_optimize(JSON.parse(tradeFrame));
    });
  });
});

// WebSocket API orders against the local server: IOC buys far below the market expire at once,
// so nothing rests and every order is a full round trip.
const ED_KEY = 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000';
const ED_SEED = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
const ED_PUBLIC = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';
const instrument = new Instrument({
  id: ID,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
});
const server = new BinanceServer({
  symbols: [{ instrument, price: '37600' }],
  accounts: [{ apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '1000000000' } }],
  limits: { weightPerMinute: 1e12, ordersPer10Seconds: 1e12, ordersPerDay: 1e12 },
});
await server.start();
const exchange = new BinanceExchange({
  restUrl: server.restUrl,
  streamUrl: server.streamUrl,
  wsApiUrl: server.wsApiUrl,
  credentials: { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
});
await exchange.connect();
const pem = createPrivateKey({
  key: Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(ED_SEED, 'hex'),
  ]),
  format: 'der',
  type: 'pkcs8',
})
  .export({ format: 'pem', type: 'pkcs8' })
  .toString();
const official = new Spot({
  configurationWebsocketAPI: { apiKey: ED_KEY, privateKey: pem, wsURL: server.wsApiUrl },
});
const connection = await official.websocketAPI.connect();
await connection.sessionLogon();
// Both clients hear their orders' execution reports, as a trading client must: the server does
// the same work for each, and each handles the events it receives.
const officialUserData = await connection.userDataStreamSubscribe();
let officialEvents = 0;
officialUserData.stream.on('message', (event) => {
  if (event.e === 'executionReport') officialEvents += 1;
});
let orderCount = 0;

summary(() => {
  group('binance WebSocket API: place and acknowledge one order (local server)', () => {
    bench('QTP BinanceExchange.placeOrder', async () => {
      orderCount += 1;
      await exchange.placeOrder(
        createOrderRequest({
          instrumentId: ID,
          side: 'BUY',
          type: 'LIMIT',
          timeInForce: 'IOC',
          quantity: '0.001',
          price: '30000',
          clientOrderId: `bench-q-${orderCount}`,
        }),
      );
    });
    bench('@binance/spot websocketAPI.orderPlace', async () => {
      orderCount += 1;
      await connection.orderPlace({
        symbol: 'BTCUSDT',
        side: 'BUY' as never,
        type: 'LIMIT' as never,
        timeInForce: 'IOC' as never,
        quantity: 0.001,
        price: 30000,
        newClientOrderId: `bench-o-${orderCount}`,
      });
    });
  });
});

/** Closes the connections and stops the local server. */
export async function teardown(): Promise<void> {
  console.log(`@binance/spot heard ${officialEvents} execution reports`);
  await connection.disconnect();
  await exchange.disconnect();
  await server.stop();
}
