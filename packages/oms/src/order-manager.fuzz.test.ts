import {
  Decimal,
  type Fill,
  type OrderReport,
  type OrderStatus,
  type OrderView,
  SeededRandom,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';
import type { FaultGateway, PlacementMode } from '../test/support/fault-gateway.js';
import { limitBuy, settle, setup } from '../test/support/fixtures.js';

// Seeded fault runs: 1 000 in CI, more with QTP_FUZZ_RUNS. A failure names its seed.
const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 1_000);

const PLACEMENTS: readonly PlacementMode[] = [
  'accept',
  'accept',
  'accept',
  'timeout-after-accepting',
  'reset-after-sending',
  'unknown-after-accepting',
  'lost',
];

/** How a fill and its status report reach the order manager in the first fuzz. */
type Delivery =
  | 'fill-then-report'
  | 'report-then-fill'
  | 'fill-only'
  | 'report-only'
  | 'fill-twice';
const DELIVERIES: readonly Delivery[] = [
  'fill-then-report',
  'report-then-fill',
  'fill-only',
  'report-only',
  'fill-twice',
];

const TRANSIENT: readonly OrderStatus[] = ['INITIALIZED', 'SUBMITTED', 'PENDING_CANCEL'];

function pick<T>(random: SeededRandom, items: readonly T[]): T {
  return items[random.nextInt(items.length)]!;
}

function signed(fill: Fill): Decimal {
  return fill.side === 'BUY' ? fill.quantity : fill.quantity.neg();
}

function venuePosition(gateway: FaultGateway): Decimal {
  let position = new Decimal(0);
  for (const fills of gateway.trades.values()) {
    for (const fill of fills) position = position.plus(signed(fill));
  }
  return position;
}

function bookedPosition(orders: readonly OrderView[]): Decimal {
  let position = new Decimal(0);
  for (const order of orders)
    for (const fill of order.fills) position = position.plus(signed(fill));
  return position;
}

function tradeIds(fills: readonly Fill[] | undefined): string[] {
  return (fills ?? []).map((fill) => fill.tradeId).sort();
}

/** Fills part of a random open order at the venue; returns the fill and report, or undefined. */
function fillSome(
  random: SeededRandom,
  gateway: FaultGateway,
): { fill: Fill; report: OrderReport } | undefined {
  const open = [...gateway.venue.values()].filter(
    (report) => report.status === 'ACCEPTED' || report.status === 'PARTIALLY_FILLED',
  );
  if (open.length === 0) return undefined;
  const report = pick(random, open);
  const remainingUnits = new Decimal('0.01').minus(report.filledQuantity).times(1_000).toNumber();
  const units = 1 + random.nextInt(remainingUnits);
  const price = 26_990 + random.nextInt(20);
  return gateway.fill(report.clientOrderId, new Decimal(units).div(1_000).toString(), `${price}`);
}

async function advance(
  clock: { advanceBy(ms: number): void },
  flush: () => Promise<void>,
  steps: number,
) {
  for (let step = 0; step < steps; step++) {
    clock.advanceBy(1_000);
    await flush();
    await settle();
  }
}

function managerOptions(journal: boolean, reconcileIntervalMs?: number) {
  return {
    journaled: journal,
    lookupDelayMs: 500,
    maxLookupDelayMs: 4_000,
    fillWaitMs: 1_000,
    acknowledgementWindowMs: 5_000,
    submitTimeoutMs: 3_000,
    cancelTimeoutMs: 3_000,
    ...(reconcileIntervalMs === undefined ? {} : { reconcileIntervalMs }),
  };
}

describe('OrderManager under seeded faults', () => {
  it(`books exactly the venue's fills across ${RUNS} runs of lost answers, duplicates and reorders`, async () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = new SeededRandom(seed);
      // A stale report cannot tell which fill it counted: the periodic reconciliation finds a
      // fill whose event was lost for good.
      const { oms, gateway, clock } = setup(managerOptions(random.next() < 0.5, 5_000));
      const orders = 1 + random.nextInt(3);
      for (let i = 0; i < orders; i++) {
        gateway.mode = pick(random, PLACEMENTS);
        oms.submit({ ...limitBuy, side: random.next() < 0.5 ? 'BUY' : 'SELL' });
        await oms.flush();
        await settle();
      }
      const late: Array<() => void> = [];
      const actions = random.nextInt(6);
      for (let i = 0; i < actions; i++) {
        const made = fillSome(random, gateway);
        if (made === undefined) break;
        const { fill, report } = made;
        const deliveries: Array<() => void> = [];
        switch (pick(random, DELIVERIES)) {
          case 'fill-then-report':
            deliveries.push(
              () => gateway.emitFill(fill),
              () => gateway.emitUpdate(report),
            );
            break;
          case 'report-then-fill':
            deliveries.push(
              () => gateway.emitUpdate(report),
              () => gateway.emitFill(fill),
            );
            break;
          case 'fill-only':
            deliveries.push(() => gateway.emitFill(fill));
            break;
          case 'report-only':
            deliveries.push(() => gateway.emitUpdate(report));
            break;
          case 'fill-twice':
            deliveries.push(
              () => gateway.emitFill(fill),
              () => gateway.emitFill(fill),
            );
            break;
        }
        for (const deliver of deliveries) {
          if (random.next() < 0.25) late.push(deliver);
          else deliver();
        }
        clock.advanceBy(random.nextInt(1_500));
        await oms.flush();
        await settle();
      }
      await advance(clock, () => oms.flush(), 8);
      for (const deliver of late) deliver();
      await advance(clock, () => oms.flush(), 20);

      const context = `seed ${seed}`;
      expect(bookedPosition(oms.orders()).toString(), context).toBe(
        venuePosition(gateway).toString(),
      );
      for (const order of oms.orders()) {
        expect(tradeIds(order.fills), context).toEqual(
          tradeIds(gateway.trades.get(order.clientOrderId)),
        );
      }
      expect(gateway.placed.length, context).toBe(orders);
      oms.close();
    }
  }, 120_000);

  it(`leaves no order transient and each equal to the venue's after ${RUNS} runs with 10 % message loss`, async () => {
    for (let seed = 1; seed <= RUNS; seed++) {
      const random = new SeededRandom(seed * 7_919);
      const { oms, gateway, clock } = setup(managerOptions(random.next() < 0.5));
      gateway.lose = () => random.next() < 0.1;
      const orders = 1 + random.nextInt(3);
      for (let i = 0; i < orders; i++) {
        gateway.mode = random.next() < 0.1 ? 'lost' : 'accept';
        oms.submit({ ...limitBuy, side: random.next() < 0.5 ? 'BUY' : 'SELL' });
        await oms.flush();
        await settle();
      }
      const actions = random.nextInt(6);
      for (let i = 0; i < actions; i++) {
        const roll = random.next();
        if (roll < 0.6) {
          const made = fillSome(random, gateway);
          if (made !== undefined) {
            gateway.emitFill(made.fill);
            gateway.emitUpdate(made.report);
          }
        } else {
          const open = oms.openOrders();
          if (open.length > 0) {
            await oms.cancel(pick(random, open).clientOrderId).catch(() => false);
          }
        }
        clock.advanceBy(random.nextInt(1_500));
        await oms.flush();
        await settle();
      }
      await advance(clock, () => oms.flush(), 12);
      await oms.reconcile();
      await advance(clock, () => oms.flush(), 12);

      const context = `seed ${seed}`;
      for (const order of oms.orders()) {
        const venue = gateway.venue.get(order.clientOrderId);
        expect(TRANSIENT, context).not.toContain(order.status);
        expect(oms.isStateUnknown(order.clientOrderId), context).toBe(false);
        expect(order.status, context).toBe(venue?.status ?? 'REJECTED');
        expect(order.filledQuantity.toString(), context).toBe(
          (venue?.filledQuantity ?? new Decimal(0)).toString(),
        );
      }
      expect(bookedPosition(oms.orders()).toString(), context).toBe(
        venuePosition(gateway).toString(),
      );
      oms.close();
    }
  }, 120_000);
});
