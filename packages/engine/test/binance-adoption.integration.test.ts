import { setTimeout as sleep } from 'node:timers/promises';
import { Instrument, instrumentId, TimeoutError, toClientOrderId } from '@qtp/core';
import { type RecoveryReport, TradingEngine } from '@qtp/engine';
import { BinanceExchange } from '@qtp/exchange/binance';
import {
  BinanceServer,
  ed25519PrivateKeyFromSeed,
  encodeRestParams,
  signEd25519,
} from '@qtp/exchange/binance-server';
import { EXTERNAL_TAG, InMemoryOrderJournal } from '@qtp/oms';
import { afterEach, describe, expect, it } from 'vitest';

// The fake Ed25519 key of the wire specification's test vectors.
const ED_KEY = 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000';
const ED_SEED = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
const ED_PUBLIC = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';
const id = instrumentId('BTCUSDT', 'BINANCE');
const btcusdt = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  minNotional: '5',
});

let server: BinanceServer | undefined;
let engine: TradingEngine | undefined;

afterEach(async () => {
  await engine?.stop();
  await server?.stop();
  engine = undefined;
  server = undefined;
});

// Another client of the same account: a signed REST call made by hand, as a person's script or
// another system would make it, not through the adapter.
async function placeByHand(target: BinanceServer, params: Record<string, string>) {
  const pairs: [string, string][] = [...Object.entries(params), ['timestamp', String(Date.now())]];
  const payload = encodeRestParams(pairs);
  const signature = signEd25519(ed25519PrivateKeyFromSeed(ED_SEED), payload);
  const response = await fetch(`${target.restUrl}/api/v3/order`, {
    method: 'POST',
    headers: {
      'X-MBX-APIKEY': ED_KEY,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `${payload}&signature=${encodeURIComponent(signature)}`,
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<{ orderId: number }>;
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let tries = 0; !condition(); tries++) {
    if (tries === 4_000) throw new TimeoutError(`gave up waiting for ${what}`, tries);
    await sleep(2);
  }
}

describe('TradingEngine recovery with BinanceExchange on the local Binance server', () => {
  it('adopts an order another client placed, with its terms, and books its later fill once', async () => {
    server = new BinanceServer({
      symbols: [{ instrument: btcusdt, price: '37600', levelQuantity: '0.2', levels: 10 }],
      accounts: [{ apiKey: ED_KEY, ed25519PublicKey: ED_PUBLIC, balances: { USDT: '10000' } }],
    });
    await server.start();
    const placed = await placeByHand(server, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      quantity: '0.01000000',
      price: '37500.00000000',
      newClientOrderId: 'manual-1',
    });
    const exchange = new BinanceExchange({
      restUrl: server.restUrl,
      streamUrl: server.streamUrl,
      wsApiUrl: server.wsApiUrl,
      credentials: { kind: 'ed25519', apiKey: ED_KEY, privateKey: ED_SEED },
      initialBackoffMs: 20,
    });
    const journal = new InMemoryOrderJournal();
    engine = new TradingEngine({
      exchanges: [exchange],
      instruments: [btcusdt],
      orderJournal: journal,
      recovery: { orphans: 'adopt' },
    });
    let report: RecoveryReport | undefined;
    engine.bus.subscribe('engine.recovered', (event) => {
      report = event.report;
    });
    const fillTopics: string[] = [];
    engine.bus.subscribe('order.fill', (event) => fillTopics.push(event.fill.tradeId));
    await engine.start();

    expect(report?.external.map((order) => [order.report.clientOrderId, order.action])).toEqual([
      ['manual-1', 'adopted'],
    ]);
    const manual = engine.orderManager.getOrder(toClientOrderId('manual-1'));
    expect(manual).toBeDefined();
    expect(manual?.tags).toEqual([EXTERNAL_TAG]);
    expect(manual?.status).toBe('ACCEPTED');
    expect(manual?.venueOrderId).toBe(String(placed.orderId));
    // The terms as the other client sent them.
    expect(manual?.side).toBe('BUY');
    expect(manual?.type).toBe('LIMIT');
    expect(manual?.quantity.toString()).toBe('0.01');
    expect(manual?.price?.toString()).toBe('37500');
    expect(manual?.timeInForce).toBe('GTC');
    expect((await journal.get('manual-1'))?.order.tags).toEqual([EXTERNAL_TAG]);

    // The book falls through the bid: the venue fills it and reports it over user data.
    server.setPrice('BTCUSDT', '37400');
    await until('the adopted order to fill', () => manual?.status === 'FILLED');
    await engine.orderManager.flush();
    // The fills are looked up again after a reconnect: still booked once.
    server.dropConnections();
    await until('the venue to reconcile', () => exchange.venueStatus === 'READY');
    await exchange.resync();
    await engine.orderManager.flush();

    const venueFills = await exchange.fetchOrderFills({
      instrumentId: id,
      clientOrderId: 'manual-1',
    });
    expect(venueFills.length).toBeGreaterThan(0);
    expect(manual?.fills.map((fill) => fill.tradeId).sort()).toEqual(
      venueFills.map((fill) => fill.tradeId).sort(),
    );
    expect(new Set(fillTopics).size).toBe(fillTopics.length);
    expect(fillTopics.sort()).toEqual(venueFills.map((fill) => fill.tradeId).sort());
    // A bid at 37500 fills at its limit: 0.01 BTC for 375 USDT, no fee on this account.
    expect(manual?.filledQuantity.toString()).toBe('0.01');
    expect(manual?.averageFillPrice?.toString()).toBe('37500');
    const balances = engine.portfolio.balancesByAsset();
    expect(balances.get('BTC')?.toString()).toBe('0.01');
    expect(balances.get('USDT')?.toString()).toBe('9625');
    expect((await journal.get('manual-1'))?.status).toBe('FILLED');
  }, 30_000);
});
