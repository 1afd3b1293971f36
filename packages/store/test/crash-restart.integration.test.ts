import { createBarEvent, type Fill, SimulatedClock } from '@qtp/core';
import { barFillModel, SimulatedExchange } from '@qtp/exchange';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CampaignVenue, crashCampaign, signed } from './crash/campaign.js';
import { btc } from './crash/instruments.js';
import { serveVenue } from './crash/venue-host.js';
import { createTestSchema, type TestSchema } from './support/database.js';

const START = Date.UTC(2024, 0, 1);
const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 10);

/** A SimulatedExchange whose every bar crosses each resting limit and trades 1 BTC, so larger orders fill in parts. */
function simulatedVenue(): CampaignVenue {
  const clock = new SimulatedClock({ startMs: START });
  const venue = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '1000000', BTC: '1000' },
    venue: 'SIM',
    fillModel: barFillModel({ volumeCap: 1 }),
  });
  let bars = 0;
  const advance = () => {
    bars += 1;
    const openTimeMs = START + bars * 60_000;
    clock.advanceTo(openTimeMs + 60_000);
    venue.process(
      createBarEvent({
        instrumentId: btc.id,
        interval: '1m',
        openTimeMs,
        closeTimeMs: openTimeMs + 59_999,
        open: 100,
        high: 105,
        low: 95,
        close: 100,
        volume: 1,
      }),
    );
  };
  const placements = new Map<string, number>();
  return {
    kind: 'sim',
    engineArgs: [],
    startMs: START,
    orphans: 'cancel',
    serve: (child) => serveVenue(child, venue, placements, advance),
    // The venue keeps trading while the engine is down.
    whileDown: async () => advance(),
    async verify(journal) {
      // No order was sent twice.
      for (const [id, count] of placements) expect([id, count]).toEqual([id, 1]);
      // No orphan: the venue's open orders are exactly the journal's open orders.
      const open = (await journal.loadOpen()).map((record) => record.id).sort();
      const venueOpen = (await venue.fetchOpenOrders()).map((order) => order.clientOrderId).sort();
      expect(open).toEqual(venueOpen);
      // Every journaled order agrees with the venue, and every order the venue knows is journaled.
      const records = await journal.loadAll();
      const journaled = new Set(records.map((record) => record.id));
      for (const id of placements.keys()) expect(journaled.has(id)).toBe(true);
      for (const record of records) {
        if (!placements.has(record.id)) {
          expect(record.status).toBe('REJECTED');
          continue;
        }
        const report = await venue.fetchOrder({
          instrumentId: btc.id,
          clientOrderId: record.id as never,
        });
        expect([record.id, record.status, record.order.filledQuantity]).toEqual([
          record.id,
          report.status,
          report.filledQuantity.toString(),
        ]);
      }
      // The booked position is the venue's record: the same trades, each once.
      const trades: readonly Fill[] = await venue.fetchMyTrades(btc.id);
      const booked = await journal.fills({ instrumentId: btc.id });
      expect(booked.map((fill) => fill.tradeId).sort()).toEqual(
        trades.map((fill) => fill.tradeId).sort(),
      );
      expect(signed(booked)).toBe(signed(trades));
    },
    dispose: async () => undefined,
  };
}

describe('crash and restart of an engine process against a venue that survives it', () => {
  let db: TestSchema;
  beforeAll(async () => {
    db = await createTestSchema();
  });
  afterAll(async () => {
    await db.dispose();
  });

  it(`leaves no orphan, no duplicate and the venue's position booked, at ${RUNS} seeded kill points`, async () => {
    const kills = await crashCampaign({
      db,
      runs: RUNS,
      seed: 15,
      open: async () => simulatedVenue(),
    });
    expect(kills.filter((kill) => !kill.includes('not reached')).length).toBeGreaterThan(0);
  }, 600_000);
});
