import {
  type BookDelta,
  type BookLevel,
  type BookSnapshot,
  instrumentId,
  isQtpError,
  OrderBook,
  type ValidationError,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');
const ETH = instrumentId('ETHUSDT', 'BINANCE');

function snapshot(sequence: number, bids: BookLevel[], asks: BookLevel[]): BookSnapshot {
  return { instrumentId: BTC, sequence, bids, asks, timeMs: 1_000 };
}

function delta(
  firstSequence: number,
  lastSequence: number,
  bids: BookLevel[],
  asks: BookLevel[] = [],
): BookDelta {
  return { instrumentId: BTC, firstSequence, lastSequence, bids, asks, timeMs: 2_000 };
}

function level(price: number, size: number): BookLevel {
  return { price, size };
}

function seededBook(): OrderBook {
  const book = new OrderBook({ instrumentId: BTC });
  book.applySnapshot(
    snapshot(
      100,
      [level(99, 1), level(98, 2), level(97, 3)],
      [level(101, 1), level(102, 2), level(103, 3)],
    ),
  );
  return book;
}

function expectValidationError(action: () => unknown, field: string): ValidationError {
  try {
    action();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    expect((error as ValidationError).field).toBe(field);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('OrderBook: reading a snapshot', () => {
  it('reports the best levels, mid, spread and top N', () => {
    const book = seededBook();
    expect(book.sequence).toBe(100);
    expect(book.needsResync).toBe(false);
    expect(book.bestBid()).toEqual(level(99, 1));
    expect(book.bestAsk()).toEqual(level(101, 1));
    expect(book.mid()).toBe(100);
    expect(book.spread()).toBe(2);
    expect(book.bids(2)).toEqual([level(99, 1), level(98, 2)]);
    expect(book.asks()).toEqual([level(101, 1), level(102, 2), level(103, 3)]);
    expect(book.bids(0)).toEqual([]);
    expect(book.isCrossed()).toBe(false);
  });

  it('reports nothing for an empty side', () => {
    const book = new OrderBook({ instrumentId: BTC });
    book.applySnapshot(snapshot(1, [level(10, 1)], []));
    expect(book.bestAsk()).toBeUndefined();
    expect(book.mid()).toBeUndefined();
    expect(book.spread()).toBeUndefined();
    expect(book.isCrossed()).toBe(false);
  });

  it('replaces the whole book on a new snapshot', () => {
    const book = seededBook();
    book.applySnapshot(snapshot(50, [level(90, 5)], [level(91, 5)]));
    expect(book.sequence).toBe(50);
    expect(book.bids()).toEqual([level(90, 5)]);
    expect(book.asks()).toEqual([level(91, 5)]);
  });

  it('refuses a snapshot out of order, with a zero size or of another instrument, unchanged', () => {
    const book = seededBook();
    const before = seededBook();
    expectValidationError(
      () => book.applySnapshot(snapshot(200, [level(97, 1), level(98, 1)], [])),
      'bids[1].price',
    );
    expectValidationError(
      () => book.applySnapshot(snapshot(200, [], [level(101, 1), level(101, 2)])),
      'asks[1].price',
    );
    expectValidationError(
      () => book.applySnapshot(snapshot(200, [level(97, 0)], [])),
      'bids[0].size',
    );
    expectValidationError(
      () => book.applySnapshot({ ...snapshot(200, [], []), instrumentId: ETH }),
      'instrumentId',
    );
    expectValidationError(() => book.applySnapshot(snapshot(-1, [], [])), 'sequence');
    expect(book.equals(before)).toBe(true);
  });
});

describe('OrderBook: applying deltas', () => {
  it('sets, inserts and removes levels', () => {
    const book = seededBook();
    const result = book.applyDelta(
      delta(101, 103, [level(99, 4), level(98.5, 1), level(97, 0), level(50, 0)], [level(101, 0)]),
    );
    expect(result).toBe('applied');
    expect(book.sequence).toBe(103);
    expect(book.timeMs).toBe(2_000);
    expect(book.bids()).toEqual([level(99, 4), level(98.5, 1), level(98, 2)]);
    expect(book.asks()).toEqual([level(102, 2), level(103, 3)]);
  });

  it('keeps a deep book sorted while it grows and shrinks', () => {
    const book = new OrderBook({ instrumentId: BTC });
    book.applySnapshot(snapshot(0, [], []));
    const reference = new ReferenceBook();
    reference.snapshot(snapshot(0, [], []));
    // A fixed walk over 3000 prices: inserts far from and near the top, then removals.
    for (let i = 1; i <= 3000; i++) {
      const price = ((i * 7919) % 3001) / 100 + 1;
      const change = delta(i, i, [level(price, i % 5 === 0 ? 0 : i / 1000)]);
      book.applyDelta(change);
      reference.delta(change);
    }
    for (let i = 3001; i <= 4500; i++) {
      const price = (((i - 3000) * 7919) % 3001) / 100 + 1;
      const change = delta(i, i, [level(price, 0)]);
      book.applyDelta(change);
      reference.delta(change);
    }
    expect(book.bids()).toEqual(reference.sortedBids());
    expect(book.bids().length).toBeGreaterThan(1000);
  });

  it('applies a new best level inside the spread', () => {
    const book = seededBook();
    book.applyDelta(delta(101, 101, [level(100, 0.5)], [level(100.5, 0.25)]));
    expect(book.bestBid()).toEqual(level(100, 0.5));
    expect(book.bestAsk()).toEqual(level(100.5, 0.25));
    expect(book.spread()).toBe(0.5);
  });

  it('skips deltas that end at or before the snapshot, and applies the one that straddles it', () => {
    const book = seededBook();
    expect(book.applyDelta(delta(90, 99, [level(99, 7)]))).toBe('stale');
    expect(book.applyDelta(delta(95, 100, [level(99, 7)]))).toBe('stale');
    expect(book.bestBid()).toEqual(level(99, 1));
    expect(book.applyDelta(delta(98, 104, [level(99, 7)]))).toBe('applied');
    expect(book.sequence).toBe(104);
    expect(book.bestBid()).toEqual(level(99, 7));
  });

  it('refuses a delta after a gap, and every delta after it until a new snapshot', () => {
    const book = seededBook();
    const before = seededBook();
    expect(book.applyDelta(delta(102, 103, [level(99, 7)]))).toBe('gap');
    expect(book.needsResync).toBe(true);
    expect(book.equals(before)).toBe(true);
    expect(book.applyDelta(delta(101, 101, [level(99, 7)]))).toBe('needs-resync');
    expect(book.applyDelta(delta(104, 104, [level(99, 7)]))).toBe('needs-resync');
    expect(book.equals(before)).toBe(true);
    book.applySnapshot(snapshot(110, [level(99, 1)], [level(101, 1)]));
    expect(book.needsResync).toBe(false);
    expect(book.applyDelta(delta(111, 111, [level(99, 7)]))).toBe('applied');
  });

  it('refuses deltas before the first snapshot', () => {
    const book = new OrderBook({ instrumentId: BTC });
    expect(book.needsResync).toBe(true);
    expect(book.sequence).toBeUndefined();
    expect(book.applyDelta(delta(1, 1, [level(1, 1)]))).toBe('needs-resync');
    expect(book.bids()).toEqual([]);
  });

  it('throws on NaN or negative sizes and prices and changes nothing', () => {
    const book = seededBook();
    const before = seededBook();
    const error = expectValidationError(
      () => book.applyDelta(delta(101, 101, [level(99, 5)], [level(101, Number.NaN)])),
      'asks[0].size',
    );
    expect(error.message).toBe('asks[0].size: must be a finite number of at least 0, was NaN');
    expectValidationError(
      () => book.applyDelta(delta(101, 101, [level(99, 5), level(98, -1)])),
      'bids[1].size',
    );
    expectValidationError(() => book.applyDelta(delta(101, 101, [level(-99, 5)])), 'bids[0].price');
    expectValidationError(() => book.applyDelta(delta(101, 101, [level(0, 5)])), 'bids[0].price');
    expectValidationError(
      () => book.applyDelta(delta(101, 101, [level(Number.POSITIVE_INFINITY, 5)])),
      'bids[0].price',
    );
    expectValidationError(() => book.applyDelta(delta(102, 101, [])), 'lastSequence');
    expectValidationError(() => book.applyDelta(delta(1.5, 101, [])), 'firstSequence');
    expectValidationError(
      () => book.applyDelta({ ...delta(101, 101, []), instrumentId: ETH }),
      'instrumentId',
    );
    expect(book.equals(before)).toBe(true);
    expect(book.needsResync).toBe(false);
    expect(book.applyDelta(delta(101, 101, [level(99, 5)]))).toBe('applied');
  });
});

describe('OrderBook: crossed books and fill estimates', () => {
  it('detects a crossed and a locked book', () => {
    const book = seededBook();
    book.applyDelta(delta(101, 101, [level(101, 1)]));
    expect(book.isCrossed()).toBe(true);
    book.applyDelta(delta(102, 102, [level(101, 0), level(101.5, 1)]));
    expect(book.isCrossed()).toBe(true);
    expect(book.spread()).toBe(-0.5);
    book.applyDelta(delta(103, 103, [level(101.5, 0)]));
    expect(book.isCrossed()).toBe(false);
  });

  it('averages the fill price over the levels a buy walks', () => {
    const book = seededBook();
    // asks 101 x 1, 102 x 2, 103 x 3: buying 2.5 takes 1 @ 101 and 1.5 @ 102.
    const estimate = book.averageFillPrice('BUY', 2.5);
    expect(estimate).toEqual({
      status: 'filled',
      averagePrice: (101 * 1 + 102 * 1.5) / 2.5,
      worstPrice: 102,
      filledSize: 2.5,
      remainingSize: 0,
    });
  });

  it('averages the fill price over the levels a sell walks', () => {
    const book = seededBook();
    // bids 99 x 1, 98 x 2: selling 3 takes 1 @ 99 and 2 @ 98.
    const estimate = book.averageFillPrice('SELL', 3);
    expect(estimate.status).toBe('filled');
    if (estimate.status !== 'empty') expect(estimate.averagePrice).toBe((99 + 196) / 3);
  });

  it('says when the book lacks depth', () => {
    const book = seededBook();
    expect(book.averageFillPrice('BUY', 10)).toEqual({
      status: 'partial',
      averagePrice: (101 + 204 + 309) / 6,
      worstPrice: 103,
      filledSize: 6,
      remainingSize: 4,
    });
    const empty = new OrderBook({ instrumentId: BTC });
    empty.applySnapshot(snapshot(1, [level(1, 1)], []));
    expect(empty.averageFillPrice('BUY', 1)).toEqual({
      status: 'empty',
      filledSize: 0,
      remainingSize: 1,
    });
  });

  it('fills exactly the depth there is, despite rounding in the sizes', () => {
    const book = new OrderBook({ instrumentId: BTC });
    book.applySnapshot(snapshot(1, [], [level(10, 0.1), level(11, 0.2)]));
    expect(book.averageFillPrice('BUY', 0.3).status).toBe('filled');
  });

  it('refuses a size that is not a positive finite number', () => {
    const book = seededBook();
    expectValidationError(() => book.averageFillPrice('BUY', 0), 'size');
    expectValidationError(() => book.averageFillPrice('SELL', Number.NaN), 'size');
    expectValidationError(() => book.averageFillPrice('HOLD' as 'BUY', 1), 'side');
  });
});

// A reference book: one Map per side, sorted on every read, following Binance's procedure.
class ReferenceBook {
  bids = new Map<number, number>();
  asks = new Map<number, number>();
  sequence: number | undefined;
  resync = true;

  snapshot(value: BookSnapshot): void {
    this.bids = new Map(value.bids.map((l) => [l.price, l.size]));
    this.asks = new Map(value.asks.map((l) => [l.price, l.size]));
    this.sequence = value.sequence;
    this.resync = false;
  }

  delta(value: BookDelta): string {
    if (this.resync || this.sequence === undefined) return 'needs-resync';
    if (value.lastSequence <= this.sequence) return 'stale';
    if (value.firstSequence > this.sequence + 1) {
      this.resync = true;
      return 'gap';
    }
    for (const [side, changes] of [
      [this.bids, value.bids],
      [this.asks, value.asks],
    ] as const) {
      for (const change of changes) {
        if (change.size === 0) side.delete(change.price);
        else side.set(change.price, change.size);
      }
    }
    this.sequence = value.lastSequence;
    return 'applied';
  }

  sortedBids(): BookLevel[] {
    return [...this.bids]
      .map(([price, size]) => ({ price, size }))
      .sort((a, b) => b.price - a.price);
  }

  sortedAsks(): BookLevel[] {
    return [...this.asks]
      .map(([price, size]) => ({ price, size }))
      .sort((a, b) => a.price - b.price);
  }
}

// Prices on a small grid so that changes often hit existing levels.
const price = fc.integer({ min: 1, max: 80 }).map((tick) => tick / 4);
const size = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 1, max: 1_000 }).map((n) => n / 100),
);
const restingLevels = (descending: boolean) =>
  fc
    .uniqueArray(
      fc.record({ price, size: fc.integer({ min: 1, max: 1_000 }).map((n) => n / 100) }),
      { selector: (l) => l.price, maxLength: 40 },
    )
    .map((levels) => levels.sort((a, b) => (descending ? b.price - a.price : a.price - b.price)));
const snapshotArbitrary = fc
  .record({
    sequence: fc.integer({ min: 0, max: 1_000 }),
    bids: restingLevels(true),
    asks: restingLevels(false),
  })
  .map((s) => snapshot(s.sequence, s.bids, s.asks));
const changes = fc.array(fc.record({ price, size }), { maxLength: 8 });

describe('OrderBook: properties against a reference model', () => {
  it('matches a Map re-sorted on every read, for any snapshot and contiguous deltas', () => {
    fc.assert(
      fc.property(
        snapshotArbitrary,
        fc.array(fc.record({ span: fc.integer({ min: 1, max: 3 }), bids: changes, asks: changes })),
        (start, steps) => {
          const book = new OrderBook({ instrumentId: BTC });
          const reference = new ReferenceBook();
          book.applySnapshot(start);
          reference.snapshot(start);
          let next = start.sequence + 1;
          for (const step of steps) {
            const change = delta(next, next + step.span - 1, step.bids, step.asks);
            expect(book.applyDelta(change)).toBe('applied');
            reference.delta(change);
            next += step.span;
          }
          expect(book.bids()).toEqual(reference.sortedBids());
          expect(book.asks()).toEqual(reference.sortedAsks());
          expect(book.sequence).toBe(next - 1);
          expect(book.isCrossed()).toBe(
            reference.bids.size > 0 &&
              reference.asks.size > 0 &&
              reference.sortedBids()[0]!.price >= reference.sortedAsks()[0]!.price,
          );
        },
      ),
    );
  });

  it('detects every gap and never applies across one, whatever the sequences', () => {
    const event = fc.oneof(
      { weight: 1, arbitrary: snapshotArbitrary.map((s) => ({ kind: 'snapshot' as const, s })) },
      {
        weight: 8,
        arbitrary: fc
          .record({
            // Offset of the delta's first id from the next expected one: negative overlaps or is
            // stale, zero continues, positive skips updates.
            offset: fc.integer({ min: -4, max: 3 }),
            span: fc.integer({ min: 1, max: 4 }),
            bids: changes,
            asks: changes,
          })
          .map((d) => ({ kind: 'delta' as const, d })),
      },
    );
    fc.assert(
      fc.property(snapshotArbitrary, fc.array(event, { maxLength: 40 }), (start, events) => {
        const book = new OrderBook({ instrumentId: BTC });
        const reference = new ReferenceBook();
        book.applySnapshot(start);
        reference.snapshot(start);
        for (const item of events) {
          if (item.kind === 'snapshot') {
            book.applySnapshot(item.s);
            reference.snapshot(item.s);
            continue;
          }
          const expectedNext = (book.sequence ?? 0) + 1;
          const first = Math.max(0, expectedNext + item.d.offset);
          const change = delta(first, first + item.d.span - 1, item.d.bids, item.d.asks);
          const bidsBefore = book.bids();
          const asksBefore = book.asks();
          const sequenceBefore = book.sequence;
          const wasResyncing = book.needsResync;
          const result = book.applyDelta(change);
          expect(result).toBe(reference.delta(change));
          if (first > expectedNext && !wasResyncing) expect(result).toBe('gap');
          if (result !== 'applied') {
            expect(book.bids()).toEqual(bidsBefore);
            expect(book.asks()).toEqual(asksBefore);
            expect(book.sequence).toBe(sequenceBefore);
          }
          if (result === 'gap') expect(book.needsResync).toBe(true);
          expect(book.bids()).toEqual(reference.sortedBids());
          expect(book.asks()).toEqual(reference.sortedAsks());
        }
      }),
    );
  });

  it('averages a fill price equal to a walk by hand over the sorted reference', () => {
    fc.assert(
      fc.property(
        snapshotArbitrary,
        fc.constantFrom('BUY' as const, 'SELL' as const),
        fc.integer({ min: 1, max: 50_000 }).map((n) => n / 100),
        (start, side, wanted) => {
          const book = new OrderBook({ instrumentId: BTC });
          book.applySnapshot(start);
          const levels = side === 'BUY' ? start.asks : start.bids;
          let remaining = wanted;
          let notional = 0;
          for (const { price: p, size: s } of levels) {
            const take = Math.min(s, remaining);
            notional += take * p;
            remaining -= take;
            if (remaining <= 1e-9) break;
          }
          const estimate = book.averageFillPrice(side, wanted);
          if (levels.length === 0) {
            expect(estimate.status).toBe('empty');
            return;
          }
          expect(estimate.status).toBe(remaining <= 1e-9 ? 'filled' : 'partial');
          if (estimate.status === 'empty') return;
          expect(estimate.filledSize).toBeCloseTo(wanted - Math.max(remaining, 0), 9);
          expect(estimate.averagePrice).toBeCloseTo(notional / estimate.filledSize, 9);
        },
      ),
    );
  });

  it('tells equal books from different ones', () => {
    fc.assert(
      fc.property(snapshotArbitrary, changes, changes, (start, bids, asks) => {
        const next = start.sequence + 1;
        const change = delta(next, next, bids, asks);
        const updated = new OrderBook({ instrumentId: BTC });
        updated.applySnapshot(start);
        updated.applyDelta(change);
        const reference = new ReferenceBook();
        reference.snapshot(start);
        reference.delta(change);
        const rebuilt = new OrderBook({ instrumentId: BTC });
        rebuilt.applySnapshot(snapshot(next, reference.sortedBids(), reference.sortedAsks()));
        expect(updated.equals(rebuilt)).toBe(true);
        const original = new OrderBook({ instrumentId: BTC });
        original.applySnapshot({ ...start, sequence: next });
        const same =
          JSON.stringify([reference.sortedBids(), reference.sortedAsks()]) ===
          JSON.stringify([start.bids, start.asks]);
        expect(updated.equals(original)).toBe(same);
      }),
    );
  });
});
