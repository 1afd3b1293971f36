// Properties of the four algorithms against a venue double that fills, refuses, expires and
// cancels children at random: the parent's book stays within its quantity, its average is the
// quantity-weighted mean of the fills the venue made, and a canceled parent leaves no live child.
import {
  type ClientOrderId,
  createFill,
  createMoney,
  createTradeTickEvent,
  Decimal,
  type ExecutionAlgorithm,
  type ExecutionEndedEvent,
  Instrument,
  instrumentId,
  type OrderReport,
  type OrderRequestInput,
  toClientOrderId,
} from '@qtp/core';
import { Iceberg, Pov, Twap, Vwap } from '@qtp/oms';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = Number(process.env.QTP_FUZZ_RUNS ?? 200);
const id = instrumentId('XRPETH', 'BINANCE');
const instrument = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});
const MINUTE = 60_000;
const flatProfile = { bucketMs: 3_600_000, weights: Array(24).fill(1 / 24) as number[] };

interface Child {
  readonly id: ClientOrderId;
  readonly quantity: Decimal;
  filled: Decimal;
  live: boolean;
  cancelAsked: boolean;
}

type Outcome = 'fill' | 'partial' | 'reject' | 'expire' | 'none';

/** A venue and clock for one algorithm: children become fills and reports on `step`. */
class VenueDouble {
  readonly children: Child[] = [];
  readonly fills: { quantity: Decimal; price: Decimal }[] = [];
  readonly trades: { timeMs: number; price: number; size: number }[] = [];
  readonly ended: ExecutionEndedEvent[] = [];
  now = 1_700_000_000_000;
  #alarms: number[] = [];
  #trades = 0;

  constructor(readonly algorithm: ExecutionAlgorithm) {
    algorithm.start(
      {
        instrument,
        now: () => this.now,
        submitChild: (input: OrderRequestInput) => {
          const child: Child = {
            id: toClientOrderId(`c${this.children.length + 1}`),
            quantity: new Decimal(input.quantity as Decimal),
            filled: new Decimal(0),
            live: true,
            cancelAsked: false,
          };
          this.children.push(child);
          return child.id;
        },
        cancelChild: (clientOrderId) => {
          const child = this.children.find((c) => c.id === clientOrderId);
          if (child !== undefined) child.cancelAsked = true;
        },
        wakeAt: (atMs) => this.#alarms.push(atMs),
        ended: (event) => this.ended.push(event),
      },
      'parent-1',
    );
  }

  /** Moves time on, fires due wake-ups, prints a trade, then settles each live child. */
  step(dtMs: number, price: number, size: number, outcomes: readonly Outcome[]): void {
    this.now += dtMs;
    const due = this.#alarms.filter((at) => at <= this.now);
    this.#alarms = this.#alarms.filter((at) => at > this.now);
    for (const at of due) this.algorithm.onTimer(Math.max(at, this.now));
    this.#trades++;
    this.trades.push({ timeMs: this.now, price, size });
    this.algorithm.onMarketData(
      createTradeTickEvent({
        instrumentId: id,
        price,
        size,
        aggressorSide: 'BUY',
        tradeId: `t${this.#trades}`,
        timeMs: this.now,
      }),
    );
    let k = 0;
    for (const child of [...this.children]) {
      if (!child.live) continue;
      const outcome = child.cancelAsked ? 'cancel' : (outcomes[k++ % outcomes.length] ?? 'none');
      this.#settle(child, outcome, price);
    }
  }

  /** Acknowledges every cancel asked for. */
  settleCancels(): void {
    for (const child of this.children)
      if (child.live && child.cancelAsked) this.#settle(child, 'cancel', 1);
  }

  #settle(child: Child, outcome: Outcome | 'cancel', price: number): void {
    const left = child.quantity.minus(child.filled);
    if (outcome === 'fill' || outcome === 'partial') {
      const quantity = outcome === 'fill' ? left : Decimal.max(1, left.div(2).floor());
      if (quantity.gt(left) || quantity.lte(0)) return;
      const fillPrice = new Decimal(String(price));
      child.filled = child.filled.plus(quantity);
      this.fills.push({ quantity, price: fillPrice });
      this.algorithm.onChildFill(
        createFill({
          tradeId: `f${this.fills.length}`,
          clientOrderId: child.id,
          venueOrderId: `v-${child.id}`,
          instrumentId: id,
          side: this.algorithm.parent.side,
          price: fillPrice,
          quantity,
          fee: createMoney('0', 'ETH'),
          liquiditySide: 'TAKER',
          timeMs: this.now,
        }),
      );
      const status = child.filled.eq(child.quantity) ? 'FILLED' : 'PARTIALLY_FILLED';
      if (status === 'FILLED') child.live = false;
      this.#report(child, status);
      return;
    }
    if (outcome === 'none') return;
    child.live = false;
    const status =
      outcome === 'reject' ? 'REJECTED' : outcome === 'expire' ? 'EXPIRED' : 'CANCELED';
    this.#report(child, status);
  }

  #report(child: Child, status: OrderReport['status']): void {
    this.algorithm.onChildUpdate({
      instrumentId: id,
      clientOrderId: child.id,
      venueOrderId: `v-${child.id}`,
      status,
      filledQuantity: child.filled,
      ...(status === 'REJECTED' ? { rejectReason: 'refused by the double' } : {}),
      timeMs: this.now,
    });
  }
}

const quantity = fc.integer({ min: 1, max: 5000 }).map(String);
const side = fc.constantFrom('BUY' as const, 'SELL' as const);
const algorithms = fc.oneof(
  fc.record({ quantity, side, slices: fc.integer({ min: 1, max: 20 }), limit: fc.boolean() }).map(
    (o) => () =>
      new Twap({
        instrumentId: id,
        side: o.side,
        quantity: o.quantity,
        durationMs: 60 * MINUTE,
        slices: o.slices,
        childType: o.limit ? 'LIMIT' : 'MARKET',
        sizeJitter: 0.3,
        timeJitter: 0.3,
      }),
  ),
  fc.record({ quantity, side, cap: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true })) }).map(
    (o) => () =>
      new Vwap({
        instrumentId: id,
        side: o.side,
        quantity: o.quantity,
        durationMs: 90 * MINUTE,
        profile: flatProfile,
        ...(o.cap === null ? {} : { maxParticipation: o.cap }),
      }),
  ),
  fc.record({ quantity, side, display: fc.integer({ min: 1, max: 800 }) }).map(
    (o) => () =>
      new Iceberg({
        instrumentId: id,
        side: o.side,
        quantity: o.quantity,
        limitPrice: '0.0015',
        displayQuantity: String(Math.min(o.display, Number(o.quantity))),
        displayJitter: 0.4,
      }),
  ),
  fc.record({ quantity, side, rate: fc.double({ min: 0.01, max: 0.9, noNaN: true }) }).map(
    (o) => () =>
      new Pov({
        instrumentId: id,
        side: o.side,
        quantity: o.quantity,
        participationRate: o.rate,
      }),
  ),
);
const steps = fc.array(
  fc.record({
    dtMs: fc.integer({ min: 1, max: 10 * MINUTE }),
    price: fc.integer({ min: 140_000, max: 150_000 }).map((p) => p / 1e8),
    size: fc.integer({ min: 1, max: 3000 }),
    outcomes: fc.array(fc.constantFrom<Outcome>('fill', 'partial', 'reject', 'expire', 'none'), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
  { maxLength: 60 },
);

function checkBook(venue: VenueDouble): void {
  const parent = venue.algorithm.parent;
  // Never more filled or working than the parent's quantity.
  expect(parent.filledQuantity.lte(parent.quantity)).toBe(true);
  expect(parent.filledQuantity.plus(parent.workingQuantity).lte(parent.quantity)).toBe(true);
  // What the parent counts is exactly what the venue filled.
  const filled = venue.fills.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
  expect(parent.filledQuantity.eq(filled)).toBe(true);
  // What works is what the venue still holds: the unfilled part of its live children.
  const working = venue.children
    .filter((child) => child.live)
    .reduce((sum, child) => sum.plus(child.quantity.minus(child.filled)), new Decimal(0));
  expect(parent.workingQuantity.eq(working)).toBe(true);
  // Every child the venue saw asked for a whole number of lots, at least one.
  for (const child of venue.children)
    expect(child.quantity.gte(1) && child.quantity.isInteger()).toBe(true);
}

describe('execution algorithm properties', () => {
  it('keeps the parent within its quantity, averages the fills exactly and leaves no live child once canceled', () => {
    fc.assert(
      fc.property(algorithms, steps, (make, path) => {
        const venue = new VenueDouble(make());
        for (const step of path) {
          venue.step(step.dtMs, step.price, step.size, step.outcomes);
          checkBook(venue);
        }
        const parent = venue.algorithm.parent;
        if (!parent.filledQuantity.isZero()) {
          const notional = venue.fills.reduce(
            (sum, fill) => sum.plus(fill.quantity.times(fill.price)),
            new Decimal(0),
          );
          expect(parent.averageFillPrice!.eq(notional.div(parent.filledQuantity))).toBe(true);
        }
        venue.algorithm.cancel('test over');
        venue.settleCancels();
        expect(venue.children.filter((child) => child.live)).toEqual([]);
        expect(['FILLED', 'CANCELED', 'STOPPED']).toContain(parent.status);
        checkBook(venue);
      }),
      { numRuns: RUNS },
    );
  });

  it('reports the end once, when the parent ends, with costs worked from the trades it saw', () => {
    fc.assert(
      fc.property(algorithms, steps, (make, path) => {
        const venue = new VenueDouble(make());
        const parent = venue.algorithm.parent;
        for (const step of path) {
          venue.step(step.dtMs, step.price, step.size, step.outcomes);
          const over = ['FILLED', 'CANCELED', 'STOPPED'].includes(parent.status);
          expect(venue.ended.length).toBe(over ? 1 : 0);
        }
        venue.algorithm.cancel('test over');
        venue.algorithm.cancel('asked twice');
        expect(venue.ended.length).toBe(1);
        const event = venue.ended[0]!;
        expect(event.status).toBe(parent.status);
        expect(event.filledQuantity).toBe(parent.filledQuantity.toString());
        if (parent.filledQuantity.isZero()) {
          expect(event.costs).toBeNull();
          return;
        }
        // The algorithms here begin on the first trade; the interval runs to the end's time.
        const seen = venue.trades.filter((trade) => trade.timeMs <= event.endTimeMs);
        const arrival = venue.trades[0]!.price;
        const volume = seen.reduce((sum, trade) => sum + trade.size, 0);
        const vwap = seen.reduce((sum, trade) => sum + trade.size * trade.price, 0) / volume;
        const average = parent.averageFillPrice!.toNumber();
        const sign = parent.side === 'BUY' ? 1 : -1;
        const costs = event.costs!;
        expect(costs.arrivalPrice).toBe(arrival);
        expect(costs.closePrice).toBe(seen.at(-1)!.price);
        expect(costs.intervalVwap).toBeCloseTo(vwap, 12);
        // The double charges no fee: the shortfall is the average against the arrival.
        expect(costs.implementationShortfallBps).toBeCloseTo(
          (sign * (average - arrival) * 10_000) / arrival,
          6,
        );
        expect(costs.participation).toBeCloseTo(parent.filledQuantity.toNumber() / volume, 12);
        expect(costs.estimatedImpactBps).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it('fills a TWAP completely when every child fills', () => {
    fc.assert(
      fc.property(quantity, fc.integer({ min: 1, max: 30 }), (total, slices) => {
        const venue = new VenueDouble(
          new Twap({
            instrumentId: id,
            side: 'BUY',
            quantity: total,
            durationMs: 60 * MINUTE,
            slices,
          }),
        );
        for (let minute = 0; minute <= 61; minute++) venue.step(MINUTE, 0.0014, 100, ['fill']);
        expect(venue.algorithm.parent.status).toBe('FILLED');
        expect(venue.algorithm.parent.filledQuantity.toString()).toBe(total);
      }),
      { numRuns: RUNS },
    );
  });
});
