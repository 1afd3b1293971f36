import { createOrderRequest, Decimal, LiveClock, toClientOrderId } from '@qtp/core';
import type { Balance } from '@qtp/exchange';
import { BinanceExchange } from '@qtp/exchange/binance';
import { BinanceServer } from '@qtp/exchange/binance-server';
import type { PostgresOrderJournal } from '@qtp/store/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignRun, type CampaignVenue, crashCampaign } from './crash/campaign.js';
import { binanceBtc } from './crash/instruments.js';
import { serveRequests } from './crash/venue-host.js';
import { createTestSchema, type TestSchema } from './support/database.js';

const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 6);
const API_KEY = 'crashCampaignKey';
const SECRET = 'crashCampaignSecret';
const START = { USDT: '1000000', BTC: '1000' };

function total(balances: readonly Balance[], asset: string): Decimal {
  const balance = balances.find((each) => each.asset === asset);
  return balance === undefined ? new Decimal(0) : balance.free.plus(balance.locked);
}

/**
 * A local Binance server for one run, with its book standing at 100; each market move prints a
 * 1 BTC trade at 98 and one at 102, through every resting buy at 99 and sell at 101, so larger
 * orders fill in parts. Odd seeds also place an order by hand while the engine is down, and
 * the restarted engine keeps it (seeds 1 mod 4) or cancels it (3 mod 4).
 */
async function binanceVenue(run: CampaignRun): Promise<CampaignVenue> {
  const server = new BinanceServer({
    symbols: [{ instrument: binanceBtc, price: '100' }],
    accounts: [{ apiKey: API_KEY, secret: SECRET, balances: START }],
  });
  await server.start();
  // The test's own view of the account: the REST API, as any other client of the server.
  const client = new BinanceExchange({
    restUrl: server.restUrl,
    streamUrl: server.streamUrl,
    wsApiUrl: server.wsApiUrl,
    credentials: { kind: 'hmac', apiKey: API_KEY, secret: SECRET },
    orderTransport: 'rest',
  });
  await client.connect();
  const byHand = run.seed % 2 === 1 ? toClientOrderId(`by-hand-${run.seed}`) : undefined;
  const orphans = run.seed % 4 === 1 ? 'keep' : 'cancel';
  const advance = async (): Promise<string[]> => {
    server.trade('BTCUSDT', '98', '1', true);
    server.trade('BTCUSDT', '102', '1', false);
    return (await client.fetchMyTrades(binanceBtc.id)).map((fill) => fill.tradeId);
  };
  return {
    kind: 'binance',
    engineArgs: [server.restUrl, server.streamUrl, server.wsApiUrl, API_KEY, SECRET],
    startMs: new LiveClock().now(),
    orphans,
    serve: (child) =>
      serveRequests(child, async (request) => {
        if (request.method !== 'advance') throw new Error(`unknown method ${request.method}`);
        return await advance();
      }),
    async whileDown() {
      await advance();
      if (byHand === undefined) return;
      await client.placeOrder(
        createOrderRequest({
          instrumentId: binanceBtc.id,
          side: 'BUY',
          type: 'LIMIT',
          price: '50',
          quantity: '1',
          clientOrderId: byHand,
        }),
      );
    },
    async verify(journal: PostgresOrderJournal) {
      const log = server.orderLog();
      // No order was sent twice: one placement per client order id in the server's own log.
      const placements = new Map<string, number>();
      for (const entry of log.filter((each) => each.action === 'place')) {
        placements.set(entry.clientOrderId!, (placements.get(entry.clientOrderId!) ?? 0) + 1);
      }
      for (const [id, count] of placements) expect([id, count]).toEqual([id, 1]);
      const accepted = new Set(
        log
          .filter((each) => each.action === 'place' && each.outcome === 'accepted')
          .map((each) => each.clientOrderId!),
      );
      // The order placed by hand was kept or canceled, as the policy says, and never journaled.
      const records = await journal.loadAll();
      if (byHand !== undefined) {
        const report = await client.fetchOrder({
          instrumentId: binanceBtc.id,
          clientOrderId: byHand,
        });
        expect(report.status).toBe(orphans === 'keep' ? 'ACCEPTED' : 'CANCELED');
        expect(records.some((record) => record.id === byHand)).toBe(false);
      }
      // No orphan: the server's open orders are the journal's open orders (and a kept one by hand).
      const open = (await journal.loadOpen()).map((record) => record.id).sort();
      const serverOpen = (await client.fetchOpenOrders(binanceBtc.id))
        .map((order) => order.clientOrderId)
        .filter((id) => id !== byHand)
        .sort();
      expect(open).toEqual(serverOpen);
      // Every journaled order agrees with the server; every order the engine placed is journaled.
      const journaled = new Set(records.map((record) => record.id));
      for (const id of accepted) if (id !== byHand) expect(journaled.has(id)).toBe(true);
      for (const record of records) {
        if (!accepted.has(record.id)) {
          expect([record.id, record.status]).toEqual([record.id, 'REJECTED']);
          continue;
        }
        const report = await client.fetchOrder({
          instrumentId: binanceBtc.id,
          clientOrderId: toClientOrderId(record.id),
        });
        expect([record.id, record.status, record.order.filledQuantity]).toEqual([
          record.id,
          report.status,
          report.filledQuantity.toString(),
        ]);
      }
      // The journaled fills are the server's myTrades, each once.
      const trades = await client.fetchMyTrades(binanceBtc.id);
      const booked = await journal.fills({ instrumentId: binanceBtc.id });
      expect(booked.map((fill) => fill.tradeId).sort()).toEqual(
        trades.map((fill) => fill.tradeId).sort(),
      );
      // The booked position is the server's account record: what the fills bought and sold,
      // less the fees charged in each asset, moved the balances from where they started.
      const moved = (asset: string) =>
        booked.reduce((sum, fill) => {
          const quantity = new Decimal(fill.quantity);
          const value = quantity.times(fill.price);
          const bought = fill.side === 'BUY';
          let next = asset === 'BTC' ? (bought ? sum.plus(quantity) : sum.minus(quantity)) : sum;
          if (asset === 'USDT') next = bought ? next.minus(value) : next.plus(value);
          return fill.feeCurrency === asset ? next.minus(fill.feeAmount) : next;
        }, new Decimal(0));
      const balances = await client.fetchBalances();
      expect(total(balances, 'BTC').minus(START.BTC).toString()).toBe(moved('BTC').toString());
      expect(total(balances, 'USDT').minus(START.USDT).toString()).toBe(moved('USDT').toString());
    },
    async dispose() {
      await client.disconnect();
      await server.stop();
    },
  };
}

describe('crash and restart of an engine process against the local Binance server', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it(`leaves no orphan, no duplicate, the server's trades journaled and its account booked, at ${RUNS} seeded kill points`, async () => {
    const kills = await crashCampaign({ db, runs: RUNS, seed: 16, open: binanceVenue });
    expect(kills.filter((kill) => !kill.includes('not reached')).length).toBeGreaterThan(0);
  }, 600_000);
});
