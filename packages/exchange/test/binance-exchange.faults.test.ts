import {
  createConsoleLogger,
  createOrderRequest,
  Decimal,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderRequest,
} from '@qtp/core';
import { BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { serverBook } from './support/server-book.js';
import { ED_KEY, ED_PUBLIC, ED_SEED } from './support/test-market.js';

// Seeded fault runs against the local server's fault injection: dropped sockets, swallowed and
// 5XX replies after the order was accepted (unknown outcomes), busy replies, 429s with a
// one-second Retry-After (in every tenth run, to keep the campaign short: each costs a second),
// skipped and reordered depth updates, duplicated and reordered execution reports, and a clock
// that jumps ahead mid-run.
const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 200);
const HMAC_KEY = 'fakeApiKeyForTests000000000000000000000000000000000000000000';
const HMAC_SECRET = 'fakeSecret-ForUnitTestsOnly-9f3c2a71d0b84e5f';
const id = instrumentId('BTCUSDT', 'BINANCE');
const btcusdt = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
});

interface Figures {
  runs: number;
  orders: number;
  unknownOutcomes: number;
  notPlaced: number;
  lost: number;
  duplicates: number;
  positionMismatches: number;
  bookMismatches: number;
  secretLeaks: number;
  rateLimited: number;
  requestsInsideRetryAfter: number;
}

// Every request the client sends (REST through fetch, WebSocket API frames) and every 429 or 418
// it receives, in one sequence: a request counts as inside a Retry-After when it was sent after
// the refusal reached the client and before the Retry-After ran out.
const watch = {
  sequence: 0,
  sends: [] as { seq: number; atMs: number }[],
  refusals: [] as { seq: number; fromMs: number; toMs: number }[],
};
const realFetch = globalThis.fetch;
const realSend = WebSocket.prototype.send;
beforeAll(() => {
  globalThis.fetch = async (input, init) => {
    watch.sends.push({ seq: ++watch.sequence, atMs: Date.now() });
    const response = await realFetch(input, init);
    const retryAfter = Number(response.headers.get('retry-after'));
    if ((response.status === 429 || response.status === 418) && retryAfter > 0) {
      const fromMs = Date.now();
      watch.refusals.push({ seq: ++watch.sequence, fromMs, toMs: fromMs + retryAfter * 1000 });
    }
    return response;
  };
  WebSocket.prototype.send = function send(
    this: WebSocket,
    ...args: Parameters<WebSocket['send']>
  ) {
    // Client sockets of the WebSocket API only (server sockets have no URL).
    if (this.url?.includes('/ws-api/')) {
      watch.sends.push({ seq: ++watch.sequence, atMs: Date.now() });
    }
    return realSend.apply(this, args);
  } as WebSocket['send'];
});
afterAll(() => {
  globalThis.fetch = realFetch;
  WebSocket.prototype.send = realSend;
});

function takeRetryAfterFigures(): { refusals: number; inside: number } {
  let inside = 0;
  for (const send of watch.sends) {
    if (watch.refusals.some((r) => send.seq > r.seq && send.atMs < r.toMs)) inside += 1;
  }
  const refusals = watch.refusals.length;
  watch.sends = [];
  watch.refusals = [];
  return { refusals, inside };
}

async function retrying<T>(run: () => Promise<T>, attempts = 20): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const open = isQtpError(error, 'CIRCUIT_OPEN');
      if (attempt >= attempts || !isQtpError(error) || !(error.retryable || open)) throw error;
      await new Promise((resolve) => setTimeout(resolve, open ? 120 : 25));
    }
  }
}

async function oneRun(seed: number, figures: Figures): Promise<void> {
  const hmac = seed % 2 === 0;
  const server = new BinanceServer({
    symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
    accounts: [
      { apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '10000' } },
      { apiKey: HMAC_KEY, secret: HMAC_SECRET, balances: { USDT: '10000' } },
    ],
    faults: {
      seed,
      dropSocket: 0.03,
      swallowAcceptedResponse: 0.15,
      unknownOutcome5xx: 0.15,
      serverBusy: 0.1,
      skipDepthUpdate: 0.2,
      reorderDepthUpdate: 0.1,
      duplicateExecutionReport: 0.3,
      reorderExecutionReport: 0.3,
      ...(seed % 10 === 0 ? { rateLimit: 0.04, rateLimitRetryAfterSeconds: 1 } : {}),
    },
  });
  await server.start();
  const lines: string[] = [];
  const exchange = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: hmac
      ? { kind: 'hmac', apiKey: HMAC_KEY, secret: HMAC_SECRET }
      : { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
    orderTransport: seed % 3 === 0 ? 'rest' : 'ws-api',
    logger: createConsoleLogger({ level: 'trace', write: (line) => lines.push(line) }),
    initialBackoffMs: 10,
    halfOpenAfterMs: 100,
    timeoutMs: 300,
  });
  const fills = new Map<string, Fill>();
  let duplicateFills = 0;
  exchange.executions.on('fill', ({ fill }) => {
    if (fills.has(fill.tradeId)) duplicateFills += 1;
    fills.set(fill.tradeId, fill);
  });
  try {
    await retrying(() => exchange.connect());
    await retrying(() => exchange.subscribe({ kind: 'book', instrumentId: id }));
    const requests: OrderRequest[] = [];
    for (let i = 0; i < 4; i++) {
      const marketable = i % 2 === 0;
      requests.push(
        createOrderRequest({
          instrumentId: id,
          side: 'BUY',
          type: 'LIMIT',
          quantity: '0.001',
          price: marketable ? '38000' : '30000',
          clientOrderId: `fault-${seed}-${i}`,
        }),
      );
    }
    if (seed % 4 === 1) server.setClockSkew(3000);
    for (const request of requests) {
      figures.orders += 1;
      try {
        await retrying(() => exchange.placeOrder(request), 5);
      } catch (error) {
        if (!isQtpError(error, 'ORDER_STATE_UNKNOWN')) throw error;
        figures.unknownOutcomes += 1;
      }
      server.setPrice('BTCUSDT', seed % 2 === 0 ? '37601' : '37600');
    }
    // Every order is resolved by its client order id, never by sending it again.
    const reports = [];
    const notPlaced = new Set<string>();
    for (const request of requests) {
      const ref = { instrumentId: id, clientOrderId: request.clientOrderId! };
      try {
        reports.push(await retrying(() => exchange.fetchOrder(ref)));
      } catch (error) {
        // The request never reached the engine (a socket dropped before it): not placed.
        if (!isQtpError(error, 'ORDER_NOT_FOUND')) throw error;
        notPlaced.add(request.clientOrderId!);
      }
    }
    for (const report of reports) {
      if (report.status !== 'ACCEPTED') continue;
      await retrying(() =>
        exchange.cancelOrder({ instrumentId: id, clientOrderId: report.clientOrderId }),
      ).catch((error: unknown) => {
        if (!isQtpError(error, 'ORDER_NOT_FOUND')) throw error;
      });
    }
    await vi.waitFor(() => expect(exchange.venueStatus).toBe('READY'), {
      timeout: 8000,
      interval: 20,
    });
    await retrying(() => exchange.resync());
    // Lost: an order the server accepted that the client cannot name. Duplicate: two accepted
    // placements of one client order id.
    const accepted = server
      .orderLog()
      .filter((entry) => entry.action === 'place' && entry.outcome === 'accepted');
    const ours = new Set(requests.map((request) => request.clientOrderId));
    const counts = new Map<string, number>();
    for (const entry of accepted)
      counts.set(entry.clientOrderId ?? '', (counts.get(entry.clientOrderId ?? '') ?? 0) + 1);
    for (const [clientOrderId, count] of counts) {
      if (!ours.has(clientOrderId) || notPlaced.has(clientOrderId)) figures.lost += 1;
      if (count > 1) figures.duplicates += count - 1;
    }
    figures.notPlaced += notPlaced.size;
    figures.duplicates += duplicateFills;
    // Position: the fills booked add up to the base balance the server holds.
    const booked = [...fills.values()].reduce(
      (sum, fill) => sum.plus(fill.quantity),
      new Decimal(0),
    );
    const balances = await retrying(() => exchange.fetchBalances());
    const btc = balances.find((balance) => balance.asset === 'BTC');
    const held = btc === undefined ? new Decimal(0) : btc.free.plus(btc.locked);
    // Fees are charged in the base asset on a buy.
    const fees = [...fills.values()].reduce(
      (sum, fill) => (fill.fee.currency === 'BTC' ? sum.plus(fill.fee.amount) : sum),
      new Decimal(0),
    );
    if (!booked.minus(fees).eq(held)) figures.positionMismatches += 1;
    // Book: equal to the server's once in sync. A skipped update shows only when the next one
    // arrives, so the market moves a tick at a time until the client has seen the last change.
    let equal = false;
    for (let nudge = 0; nudge < 20 && !equal; nudge++) {
      server.setPrice('BTCUSDT', new Decimal('37600').plus(new Decimal(nudge).div(100)).toFixed());
      try {
        await vi.waitFor(
          async () => {
            const truth = await serverBook(server);
            const book = exchange.orderBook(id);
            expect(book?.sequence).toBe(truth.sequence);
            expect(book?.bids()).toEqual(truth.bids);
            expect(book?.asks()).toEqual(truth.asks);
          },
          { timeout: 300, interval: 50 },
        );
        equal = true;
      } catch {
        // not yet: the last change was skipped or a snapshot is on its way
      }
    }
    if (!equal) figures.bookMismatches += 1;
  } finally {
    await exchange.disconnect();
    await server.stop();
  }
  const text = lines.join('\n');
  for (const secret of [ED_KEY, ED_SEED, HMAC_KEY, HMAC_SECRET, 'signature=']) {
    if (text.includes(secret)) figures.secretLeaks += 1;
  }
  const retryAfter = takeRetryAfterFigures();
  figures.rateLimited += retryAfter.refusals;
  figures.requestsInsideRetryAfter += retryAfter.inside;
  figures.runs += 1;
}

describe('BinanceExchange under seeded faults', () => {
  it(`loses and doubles nothing in ${RUNS} runs`, { timeout: RUNS * 5000 + 10_000 }, async () => {
    const figures: Figures = {
      runs: 0,
      orders: 0,
      unknownOutcomes: 0,
      notPlaced: 0,
      lost: 0,
      duplicates: 0,
      positionMismatches: 0,
      bookMismatches: 0,
      secretLeaks: 0,
      rateLimited: 0,
      requestsInsideRetryAfter: 0,
    };
    for (let seed = 1; seed <= RUNS; seed++) await oneRun(seed, figures);
    console.log(`Binance fault runs: ${JSON.stringify(figures)}`);
    expect(figures).toEqual({
      runs: RUNS,
      orders: RUNS * 4,
      unknownOutcomes: figures.unknownOutcomes,
      notPlaced: figures.notPlaced,
      lost: 0,
      duplicates: 0,
      positionMismatches: 0,
      bookMismatches: 0,
      secretLeaks: 0,
      rateLimited: figures.rateLimited,
      requestsInsideRetryAfter: 0,
    });
    expect(figures.unknownOutcomes).toBeGreaterThan(0);
    if (RUNS >= 10) expect(figures.rateLimited).toBeGreaterThan(0);
  });
});
