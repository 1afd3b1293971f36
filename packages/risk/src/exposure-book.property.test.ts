import {
  createFill,
  createMoney,
  createOrderRequest,
  Decimal,
  type InstrumentId,
  Order,
  toClientOrderId,
} from '@qtp/core';
import { RiskEngine } from '@qtp/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTC, context, ETH } from '../test/fixtures.js';
import { ExposureBook, type ScopeExposure } from './exposure-book.js';

// One step of an order flow: a new order, or a partial fill, cancel or reject of an open one.
const stepArbitrary = fc.oneof(
  fc.record({
    kind: fc.constant('new' as const),
    instrument: fc.constantFrom(BTC.id, ETH.id),
    strategy: fc.constantFrom('a', 'b', undefined),
    side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
    lots: fc.integer({ min: 1, max: 5_000 }),
    price: fc.integer({ min: 90, max: 110 }),
  }),
  fc.record({
    kind: fc.constantFrom('fill' as const, 'cancel' as const, 'reject' as const),
    pick: fc.nat(),
    share: fc.double({ min: 0.01, max: 1, noNaN: true }),
  }),
);
type Step = typeof stepArbitrary extends fc.Arbitrary<infer T> ? T : never;

interface Flow {
  readonly open: Order[];
  readonly fills: { fill: ReturnType<typeof createFill>; tags: readonly string[] }[];
}

let ids = 0;

// Plays the steps on real orders; every fill is also returned, for the risk engine to book.
function play(steps: readonly Step[], after: (flow: Flow) => void): void {
  const flow: Flow = { open: [], fills: [] };
  for (const step of steps) {
    if (step.kind === 'new') {
      const order = new Order({
        instrumentId: step.instrument,
        side: step.side,
        type: 'LIMIT',
        quantity: new Decimal(step.lots).div(1_000),
        price: String(step.price),
        clientOrderId: toClientOrderId(`p-${++ids}`),
        tags: step.strategy === undefined ? [] : [`strategy:${step.strategy}`],
        timeMs: 0,
      });
      order.submit(0);
      flow.open.push(order);
    } else if (flow.open.length > 0) {
      const index = step.pick % flow.open.length;
      const order = flow.open[index]!;
      // The venue refuses only an order it has not acknowledged; otherwise it acknowledges it.
      if (step.kind === 'reject' && order.status === 'SUBMITTED') order.reject('venue refused', 0);
      else if (order.status === 'SUBMITTED') order.accept(`v-${++ids}`, 0);
      if (!order.isOpen) {
        flow.open.splice(index, 1);
      } else if (step.kind === 'fill') {
        const lots = Math.max(
          1,
          Math.floor(order.remainingQuantity.times(1_000).toNumber() * step.share),
        );
        const fill = createFill({
          tradeId: `t-${++ids}`,
          clientOrderId: order.clientOrderId,
          venueOrderId: order.venueOrderId!,
          instrumentId: order.instrumentId,
          side: order.side,
          price: order.price!,
          quantity: new Decimal(lots).div(1_000),
          fee: createMoney('0', 'USDT'),
          liquiditySide: 'MAKER',
          timeMs: 0,
        });
        order.applyFill(fill);
        flow.fills.push({ fill, tags: order.tags });
      } else if (step.kind === 'cancel') order.cancel(0);
      if (!order.isOpen && flow.open[index] === order) flow.open.splice(index, 1);
    }
    after(flow);
  }
}

interface Totals {
  buys: Decimal;
  sells: Decimal;
  openOrders: number;
}

// The totals of a scope recomputed from scratch from the open orders.
function recompute(open: readonly Order[], strategy: string | undefined) {
  const byInstrument = new Map<InstrumentId, Totals>();
  let count = 0;
  for (const order of open) {
    if (strategy !== undefined && !order.tags.includes(`strategy:${strategy}`)) continue;
    count++;
    let totals = byInstrument.get(order.instrumentId);
    if (totals === undefined) {
      totals = { buys: new Decimal(0), sells: new Decimal(0), openOrders: 0 };
      byInstrument.set(order.instrumentId, totals);
    }
    totals.openOrders++;
    if (order.side === 'BUY') totals.buys = totals.buys.plus(order.remainingQuantity);
    else totals.sells = totals.sells.plus(order.remainingQuantity);
  }
  return { byInstrument, count };
}

function expectEqual(scope: ScopeExposure | undefined, open: readonly Order[], strategy?: string) {
  const expected = recompute(open, strategy);
  expect(scope?.openOrders ?? 0).toBe(expected.count);
  for (const id of [BTC.id, ETH.id]) {
    const entry = scope?.find(id);
    const want = expected.byInstrument.get(id);
    expect((entry?.exactBuys ?? new Decimal(0)).eq(want?.buys ?? 0)).toBe(true);
    expect((entry?.exactSells ?? new Decimal(0)).eq(want?.sells ?? 0)).toBe(true);
    expect(entry?.buys ?? 0).toBe(want?.buys.toNumber() ?? 0);
    expect(entry?.sells ?? 0).toBe(want?.sells.toNumber() ?? 0);
    expect(entry?.openOrders ?? 0).toBe(want?.openOrders ?? 0);
  }
}

describe('ExposureBook properties', () => {
  it('keeps running totals equal to those recomputed from the open orders after any flow of orders, partial fills, cancels and rejects', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { maxLength: 60 }), (steps) => {
        const book = new ExposureBook();
        play(steps, (flow) => {
          book.sync(flow.open);
          expect(book.size).toBe(flow.open.length);
          expectEqual(book.account, flow.open);
          expectEqual(book.strategy('a'), flow.open, 'a');
          expectEqual(book.strategy('b'), flow.open, 'b');
        });
      }),
    );
  });

  it('lets a long-lived risk engine decide every check as one built from scratch on the same fills and orders would', () => {
    const config = {
      account: {
        maxPosition: 12,
        maxGrossExposure: 2_000,
        maxNetExposure: 1_500,
        maxOpenOrders: 8,
      },
      strategies: {
        a: { maxPosition: 6, maxGrossExposure: 900, maxOpenOrders: 4, maxLeverage: 2 },
      },
      instruments: { [ETH.id]: { maxPosition: 5, maxOpenOrders: 3 } },
    };
    const probe = fc.record({
      instrument: fc.constantFrom(BTC, ETH),
      strategy: fc.constantFrom('a', 'b', undefined),
      side: fc.constantFrom<'BUY' | 'SELL'>('BUY', 'SELL'),
      lots: fc.integer({ min: 1, max: 8_000 }),
    });
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { maxLength: 40 }),
        fc.array(probe, { minLength: 1, maxLength: 5 }),
        (steps, probes) => {
          const lived = new RiskEngine({ config, initialEquity: 1_000 });
          for (const id of [BTC.id, ETH.id]) lived.onMark(id, 100, 0);
          let booked = 0;
          play(steps, (flow) => {
            for (; booked < flow.fills.length; booked++) {
              lived.onFill(flow.fills[booked]!.fill, flow.fills[booked]!.tags);
            }
            const fresh = new RiskEngine({ config, initialEquity: 1_000 });
            for (const id of [BTC.id, ETH.id]) fresh.onMark(id, 100, 0);
            for (const { fill, tags } of flow.fills) fresh.onFill(fill, tags);
            for (const p of probes) {
              const request = createOrderRequest({
                instrumentId: p.instrument.id,
                side: p.side,
                type: 'MARKET',
                quantity: new Decimal(p.lots).div(1_000),
                ...(p.strategy === undefined ? {} : { tags: [`strategy:${p.strategy}`] }),
              });
              const at = context(0, flow.open, p.instrument);
              expect(lived.check(request, at)).toEqual(fresh.check(request, at));
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});
