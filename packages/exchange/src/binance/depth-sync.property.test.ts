import { type BookDelta, type BookLevel, type BookSnapshot, instrumentId } from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepthSync } from './depth-sync.js';

const id = instrumentId('BTCUSDT', 'BINANCE');

// An independent model of the venue: two maps of price to size, bids below 100 and asks above,
// so the true book is never crossed; each event covers a contiguous id range.
interface Venue {
  readonly events: BookDelta[];
  /** The true book after each event, as snapshots. */
  readonly truth: BookSnapshot[];
}

type Change = readonly [side: 'b' | 'a', offset: number, size: number];

function levels(map: Map<number, number>, side: 'b' | 'a'): BookLevel[] {
  const sorted = [...map.entries()].sort(([p], [q]) => (side === 'b' ? q - p : p - q));
  return sorted.map(([price, size]) => ({ price, size }));
}

function buildVenue(
  steps: readonly (readonly [span: number, changes: readonly Change[]])[],
): Venue {
  const bids = new Map<number, number>([[99, 1]]);
  const asks = new Map<number, number>([[101, 1]]);
  let id0 = 1000;
  const snapshot = (time: number): BookSnapshot => ({
    instrumentId: id,
    sequence: id0,
    bids: levels(bids, 'b'),
    asks: levels(asks, 'a'),
    timeMs: time,
  });
  const truth = [snapshot(0)];
  const events: BookDelta[] = [];
  steps.forEach(([span, changes], index) => {
    const b: BookLevel[] = [];
    const a: BookLevel[] = [];
    for (const [side, offset, size] of changes) {
      const price = side === 'b' ? 99 - offset : 101 + offset;
      const map = side === 'b' ? bids : asks;
      if (size === 0) map.delete(price);
      else map.set(price, size);
      (side === 'b' ? b : a).push({ price, size });
    }
    events.push({
      instrumentId: id,
      firstSequence: id0 + 1,
      lastSequence: id0 + span,
      bids: b,
      asks: a,
      timeMs: index + 1,
    });
    id0 += span;
    truth.push(snapshot(index + 1));
  });
  return { events, truth };
}

const change: fc.Arbitrary<Change> = fc.tuple(
  fc.constantFrom<'b' | 'a'>('b', 'a'),
  fc.integer({ min: 0, max: 8 }),
  fc.integer({ min: 0, max: 3 }),
);
const steps = fc.array(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.array(change, { maxLength: 4 })),
  {
    minLength: 1,
    maxLength: 40,
  },
);

function sameBook(sync: DepthSync, truth: BookSnapshot): void {
  expect(sync.book.sequence).toBe(truth.sequence);
  expect(sync.book.bids()).toEqual(truth.bids);
  expect(sync.book.asks()).toEqual(truth.asks);
}

function truthAt(venue: Venue, sequence: number | undefined): BookSnapshot {
  const found = venue.truth.find((entry) => entry.sequence === sequence);
  if (found === undefined) throw new Error(`no true book at ${sequence}`);
  return found;
}

describe('DepthSync', () => {
  it('ends equal to the venue when the stream loses nothing', () => {
    fc.assert(
      fc.property(steps, fc.nat(), fc.nat(), (plan, connectSeed, snapshotSeed) => {
        const venue = buildVenue(plan);
        const connect = connectSeed % venue.events.length;
        // The snapshot is taken after the stream opened: at or after the state before `connect`.
        const snapshotAt = connect + (snapshotSeed % (venue.events.length - connect + 1));
        const sync = new DepthSync({ instrumentId: id });
        const stream = venue.events.slice(connect);
        const beforeSnapshot = snapshotAt - connect;
        stream.slice(0, beforeSnapshot).forEach((event) => {
          expect(sync.applyDiff(event)).toBe('buffered');
        });
        expect(sync.applySnapshot(venue.truth[snapshotAt]!)).toBe('synced');
        for (const event of stream.slice(beforeSnapshot))
          expect(sync.applyDiff(event)).toBe('applied');
        sameBook(sync, venue.truth.at(-1)!);
      }),
    );
  });

  it('never shows a book that differs from the venue, whatever is lost', () => {
    fc.assert(
      fc.property(
        steps,
        fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
        fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 10 }),
        (plan, drops, snapshotDelays) => {
          const venue = buildVenue(plan);
          const sync = new DepthSync({ instrumentId: id });
          let delays = [...snapshotDelays];
          let waited = 0;
          venue.events.forEach((event, index) => {
            if (!drops[index]) {
              const result = sync.applyDiff(event);
              if (result === 'gap') expect(sync.synced).toBe(false);
            }
            if (!sync.synced) {
              // Take a snapshot of the venue now, after a varying number of events.
              if (waited >= (delays[0] ?? 0)) {
                delays = delays.length > 1 ? delays.slice(1) : delays;
                waited = 0;
                sync.applySnapshot(venue.truth[index + 1]!);
              } else waited += 1;
            }
            if (sync.synced) sameBook(sync, truthAt(venue, sync.book.sequence));
          });
        },
      ),
    );
  });

  it('refuses a snapshot older than the first buffered diff', () => {
    const venue = buildVenue([
      [1, [['b', 1, 2]]],
      [1, [['a', 1, 2]]],
      [1, [['b', 2, 2]]],
    ]);
    const sync = new DepthSync({ instrumentId: id });
    sync.applyDiff(venue.events[2]!);
    expect(sync.applySnapshot(venue.truth[0]!)).toBe('too-old');
    expect(sync.applySnapshot(venue.truth[1]!)).toBe('too-old');
    expect(sync.applySnapshot(venue.truth[2]!)).toBe('synced');
    sameBook(sync, venue.truth[3]!);
  });

  it('reports a gap and buffers again from the diff that revealed it', () => {
    const venue = buildVenue([
      [1, [['b', 1, 2]]],
      [2, [['a', 1, 2]]],
      [1, [['b', 2, 2]]],
    ]);
    const sync = new DepthSync({ instrumentId: id });
    expect(sync.applySnapshot(venue.truth[0]!)).toBe('synced');
    expect(sync.applyDiff(venue.events[0]!)).toBe('applied');
    expect(sync.applyDiff(venue.events[0]!)).toBe('stale');
    expect(sync.applyDiff(venue.events[2]!)).toBe('gap');
    expect(sync.synced).toBe(false);
    expect(sync.buffered).toBe(1);
    expect(sync.applySnapshot(venue.truth[2]!)).toBe('synced');
    sameBook(sync, venue.truth[3]!);
  });
});
