import { createOrderRequest, type Fill, type TradeTickEvent } from '@qtp/core';
import { BinanceExchange, type BinanceVenueStatusEvent } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverBook } from './support/server-book.js';
import { btcusdt, ED_KEY, ED_PUBLIC, ED_SEED } from './support/test-market.js';

let server: BinanceServer | undefined;
let exchange: BinanceExchange | undefined;

async function start(
  rotateAfterMs?: number,
): Promise<{ server: BinanceServer; exchange: BinanceExchange }> {
  server = new BinanceServer({
    symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
    accounts: [{ apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '10000' } }],
  });
  await server.start();
  exchange = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
    initialBackoffMs: 20,
    ...(rotateAfterMs === undefined ? {} : { rotateAfterMs }),
  });
  await exchange.connect();
  return { server, exchange };
}

afterEach(async () => {
  await exchange?.disconnect();
  await server?.stop();
  exchange = undefined;
  server = undefined;
});

const wait = { timeout: 8000, interval: 20 };

describe('BinanceExchange recovery against the local server', () => {
  it('keeps the book equal to the server and rebuilds it after a gap', async () => {
    const { server, exchange } = await start();
    let snapshots = 0;
    exchange.marketData.on('bookSnapshot', () => {
      snapshots += 1;
    });
    await exchange.subscribe({ kind: 'book', instrumentId: btcusdt.id });
    await vi.waitFor(() => expect(exchange.orderBook(btcusdt.id)).toBeDefined(), wait);
    const sameAsServer = async () => {
      const truth = await serverBook(server);
      const book = exchange.orderBook(btcusdt.id);
      expect(book?.sequence).toBe(truth.sequence);
      expect(book?.bids()).toEqual(truth.bids);
      expect(book?.asks()).toEqual(truth.asks);
    };
    server.setPrice('BTCUSDT', '37605');
    await vi.waitFor(sameAsServer, wait);
    server.skipDepthUpdates('BTCUSDT', 3);
    server.setPrice('BTCUSDT', '37590');
    server.setPrice('BTCUSDT', '37595.5');
    await vi.waitFor(async () => {
      expect(snapshots).toBeGreaterThanOrEqual(2);
      await sameAsServer();
    }, wait);
  });

  it('fills the trades missed while the stream was down, each once and in order', async () => {
    const { server, exchange } = await start();
    const trades: TradeTickEvent[] = [];
    exchange.marketData.on('trade', (event) => trades.push(event));
    await exchange.subscribe({ kind: 'trades', instrumentId: btcusdt.id });
    server.trade('BTCUSDT', '37600', '0.01');
    await vi.waitFor(() => expect(trades).toHaveLength(1), wait);
    server.dropConnections();
    server.trade('BTCUSDT', '37601', '0.02');
    server.trade('BTCUSDT', '37602', '0.03', true);
    await vi.waitFor(() => expect(trades).toHaveLength(3), wait);
    server.trade('BTCUSDT', '37603', '0.04');
    await vi.waitFor(() => expect(trades).toHaveLength(4), wait);
    const ids = trades.map((event) => Number(event.trade.tradeId));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(4);
    expect(trades.map((event) => event.trade.price)).toEqual([37600, 37601, 37602, 37603]);
    expect(trades[2]?.trade.aggressorSide).toBe('SELL');
  });

  it('rotates the stream connection without missing or repeating a trade', async () => {
    const { server, exchange } = await start(150);
    const trades: TradeTickEvent[] = [];
    exchange.marketData.on('trade', (event) => trades.push(event));
    await exchange.subscribe({ kind: 'trades', instrumentId: btcusdt.id });
    // Trades printed every few milliseconds across several rotations.
    for (let i = 0; i < 60; i++) {
      server.trade('BTCUSDT', String(37600 + i), '0.01');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await vi.waitFor(() => expect(trades).toHaveLength(60), wait);
    expect(trades.map((event) => event.trade.price)).toEqual(
      Array.from({ length: 60 }, (_, i) => 37600 + i),
    );
  });

  it('books a fill missed during a disconnect once, after reconciling', async () => {
    const { server, exchange } = await start();
    const fills: Fill[] = [];
    const statuses: BinanceVenueStatusEvent['status'][] = [];
    exchange.executions.on('fill', (event) => fills.push(event.fill));
    exchange.connection.on('venueStatus', (event) => statuses.push(event.status));
    const request = createOrderRequest({
      instrumentId: btcusdt.id,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '37500',
      clientOrderId: 'recovery-1',
    });
    await exchange.placeOrder(request);
    server.dropConnections();
    // The book moves through the order while the user data connection is down.
    server.setPrice('BTCUSDT', '37400');
    await vi.waitFor(() => expect(statuses).toContain('READY'), wait);
    expect(statuses.slice(0, 3)).toEqual(['DISCONNECTED', 'RECONCILING', 'READY']);
    await vi.waitFor(() => expect(fills.length).toBeGreaterThan(0), wait);
    const venueFills = await exchange.fetchOrderFills({
      instrumentId: btcusdt.id,
      clientOrderId: 'recovery-1',
    });
    expect(fills.map((fill) => fill.tradeId).sort()).toEqual(
      venueFills.map((fill) => fill.tradeId).sort(),
    );
    await exchange.resync();
    expect(fills).toHaveLength(venueFills.length);
    expect(fills.every((fill) => fill.clientOrderId === 'recovery-1')).toBe(true);
  });
});
