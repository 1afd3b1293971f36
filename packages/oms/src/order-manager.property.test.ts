import {
  createFill,
  createMoney,
  Decimal,
  type Fill,
  NetworkError,
  type OrderReport,
  type OrderSnapshot,
  OrderStateUnknownError,
  type OrderStatus,
  TimeoutError,
} from '@qtp/core';
import type { OrderManager } from '@qtp/oms';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultGateway } from '../test/support/fault-gateway.js';
import { BTC, limitBuy, settle, setup } from '../test/support/fixtures.js';

type VenueEvent = { kind: 'update'; report: OrderReport } | { kind: 'fill'; fill: Fill };
type Outcome = 'ack' | 'timeout' | 'reset' | 'unknown';

const START = 1_700_000_000_000;

/** The venue's clean story of one order: accepted, filled in parts, maybe canceled or expired. */
function story(
  clientOrderId: string,
  parts: readonly number[],
  ending: 'CANCELED' | 'EXPIRED' | 'open',
): VenueEvent[] {
  const report = (
    status: OrderStatus,
    filled: Decimal,
    notional: Decimal,
    timeMs: number,
  ): OrderReport => {
    const base = {
      instrumentId: BTC,
      clientOrderId,
      venueOrderId: 'v-1',
      status,
      filledQuantity: filled,
      timeMs,
    };
    return filled.gt(0) ? { ...base, averageFillPrice: notional.div(filled) } : base;
  };
  const events: VenueEvent[] = [
    { kind: 'update', report: report('ACCEPTED', new Decimal(0), new Decimal(0), START + 10) },
  ];
  let filled = new Decimal(0);
  let notional = new Decimal(0);
  parts.forEach((units, index) => {
    const quantity = new Decimal(units).div(1_000);
    const price = new Decimal(27_000 - index);
    const timeMs = START + 20 + index * 10;
    filled = filled.plus(quantity);
    notional = notional.plus(price.times(quantity));
    events.push({
      kind: 'fill',
      fill: createFill({
        tradeId: `t-${index + 1}`,
        clientOrderId,
        venueOrderId: 'v-1',
        instrumentId: BTC,
        side: 'BUY',
        price,
        quantity,
        fee: createMoney('0.01', 'USDT'),
        liquiditySide: 'MAKER',
        timeMs,
      }),
    });
    const status = filled.eq('0.01') ? 'FILLED' : 'PARTIALLY_FILLED';
    events.push({ kind: 'update', report: report(status, filled, notional, timeMs) });
  });
  if (ending !== 'open' && !filled.eq('0.01')) {
    events.push({ kind: 'update', report: report(ending, filled, notional, START + 100) });
  }
  return events;
}

function deliver(gateway: FaultGateway, event: VenueEvent): void {
  if (event.kind === 'fill') gateway.emitFill(event.fill);
  else gateway.emitUpdate(event.report);
}

function finalReport(events: readonly VenueEvent[]): OrderReport {
  const updates = events.filter((event) => event.kind === 'update');
  return (updates.at(-1) as { report: OrderReport }).report;
}

function placementError(outcome: Outcome, clientOrderId: string): unknown {
  if (outcome === 'timeout') return new TimeoutError('placement timed out', 5_000);
  if (outcome === 'reset') return new NetworkError('socket hang up');
  return new OrderStateUnknownError(clientOrderId);
}

// Fills arrive in any order; the state is the same set of fills.
function state(order: { toSnapshot(): OrderSnapshot }): OrderSnapshot {
  const snapshot = order.toSnapshot();
  return {
    ...snapshot,
    fills: [...snapshot.fills].sort((a, b) => a.tradeId.localeCompare(b.tradeId)),
  };
}

async function drain(oms: OrderManager, clock: { advanceBy(ms: number): void }): Promise<void> {
  for (let i = 0; i < 12; i++) {
    clock.advanceBy(10_000);
    await oms.flush();
    await settle();
  }
}

const parts = fc
  .array(fc.integer({ min: 1, max: 10 }), { maxLength: 4 })
  .filter((list) => list.reduce((sum, units) => sum + units, 0) <= 10);

describe('OrderManager under reordered and repeated reports', () => {
  it('ends in the state of the clean sequence and places each order exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        parts,
        fc.constantFrom('CANCELED', 'EXPIRED', 'open') as fc.Arbitrary<
          'CANCELED' | 'EXPIRED' | 'open'
        >,
        fc.constantFrom<Outcome>('ack', 'timeout', 'reset', 'unknown'),
        fc.boolean(),
        fc.infiniteStream(fc.nat()),
        async (fillParts, ending, outcome, journaled, random) => {
          // The clean run: acknowledged, then every report once, in order.
          const clean = setup({ journaled: journaled });
          clean.gateway.mode = 'hold';
          const cleanOrder = clean.oms.submit(limitBuy);
          await clean.oms.flush();
          const events = story(cleanOrder.clientOrderId, fillParts, ending);
          clean.gateway.venue.set(cleanOrder.clientOrderId, finalReport(events));
          clean.gateway.release(0);
          await settle();
          for (const event of events) deliver(clean.gateway, event);
          await drain(clean.oms, clean.clock);

          // The messy run: reordered, repeated, the placement's answer anywhere or lost.
          const messy = setup({ journaled: journaled });
          messy.gateway.mode = 'hold';
          const order = messy.oms.submit(limitBuy);
          await messy.oms.flush();
          messy.gateway.venue.set(order.clientOrderId, finalReport(events));
          const draws = random.take(3 * events.length + 2)[Symbol.iterator]();
          const next = () => draws.next().value as number;
          const shuffled = [...events];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          const repeats = next() % (events.length + 1);
          for (let i = 0; i < repeats; i++) {
            const copy = events[next() % events.length]!;
            shuffled.splice(next() % (shuffled.length + 1), 0, copy);
          }
          const answerAt = next() % (shuffled.length + 1);
          for (let i = 0; i <= shuffled.length; i++) {
            if (i === answerAt) {
              const error =
                outcome === 'ack' ? undefined : placementError(outcome, order.clientOrderId);
              messy.gateway.release(0, error);
              await settle();
            }
            const event = shuffled[i];
            if (event !== undefined) deliver(messy.gateway, event);
          }
          await drain(messy.oms, messy.clock);

          expect(state(order)).toEqual(state(cleanOrder));
          expect(messy.oms.isStateUnknown(order.clientOrderId)).toBe(false);
          expect(messy.gateway.placed).toHaveLength(1);
          expect(clean.gateway.placed).toHaveLength(1);
          if (journaled) {
            const record = await messy.journal.get(order.clientOrderId);
            expect(record && state({ toSnapshot: () => record.order })).toEqual(state(order));
            expect(record?.unknownSinceMs).toBeNull();
          }
          clean.oms.close();
          messy.oms.close();
        },
      ),
      { numRuns: 150 },
    );
  });
});
