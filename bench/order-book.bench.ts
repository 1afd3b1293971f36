/**
 * L2 order book delta application: the QTP OrderBook against a plain hand-written sorted-array
 * book (the practical limit, with no validation or sequence checks) and, when it is installed,
 * the npm package `orderbooks` (tiagosiebler/orderbooks, the L2 book store of the Binance and
 * Bybit Node SDKs). All replay one seeded stream of diff-depth deltas near the top of a book of
 * 1000 levels a side, cycling through the stream and restoring the snapshot at each wrap, and are
 * checked to end in the same book before anything is timed.
 */
import { createRequire } from 'node:module';
import {
  type BookDelta,
  type BookLevel,
  type BookSnapshot,
  instrumentId,
  OrderBook,
  SeededRandom,
} from '@qtp/core';
import { bench, do_not_optimize, group, summary } from 'mitata';

const LEVELS = 1000;
const DELTAS = 10_000;
const ID = instrumentId('BTCUSDT', 'BINANCE');

// Prices are integer cents over 100: the double nearest the decimal, as parsing "37600.01" gives.
const toPrice = (cents: number) => cents / 100;

function makeStream(seed: number): { snapshot: BookSnapshot; deltas: BookDelta[] } {
  const random = new SeededRandom(seed);
  const size = () => Math.round(random.next() * 5000 + 1) / 1000;
  const bidCents = new Set<number>();
  const askCents = new Set<number>();
  let bestBid = 3_760_000;
  let bestAsk = 3_760_001;
  const bids: BookLevel[] = [];
  const asks: BookLevel[] = [];
  for (let i = 0; i < LEVELS; i++) {
    bidCents.add(bestBid - i);
    askCents.add(bestAsk + i);
    bids.push({ price: toPrice(bestBid - i), size: size() });
    asks.push({ price: toPrice(bestAsk + i), size: size() });
  }
  const snapshot: BookSnapshot = { instrumentId: ID, sequence: 1_000, bids, asks, timeMs: 0 };

  // Distance from the best level in ticks: mostly the top ten, sometimes one tick better.
  const distance = () => Math.floor(-Math.log(1 - random.next()) * 4) - 1;
  const change = (side: 'bid' | 'ask'): BookLevel | undefined => {
    const levels = side === 'bid' ? bidCents : askCents;
    const step = side === 'bid' ? -1 : 1;
    const best = side === 'bid' ? bestBid : bestAsk;
    const cents = best + step * distance();
    if (side === 'bid' ? cents >= bestAsk : cents <= bestBid) return undefined;
    if (levels.has(cents) && random.next() < 0.3 && levels.size > 1) {
      levels.delete(cents);
      if (cents === best) {
        let next = best + step;
        while (!levels.has(next)) next += step;
        if (side === 'bid') bestBid = next;
        else bestAsk = next;
      }
      return { price: toPrice(cents), size: 0 };
    }
    levels.add(cents);
    if (side === 'bid' && cents > bestBid) bestBid = cents;
    if (side === 'ask' && cents < bestAsk) bestAsk = cents;
    return { price: toPrice(cents), size: size() };
  };

  const deltas: BookDelta[] = [];
  let sequence = snapshot.sequence;
  for (let i = 0; i < DELTAS; i++) {
    const deltaBids: BookLevel[] = [];
    const deltaAsks: BookLevel[] = [];
    for (let n = 1 + random.nextInt(4); n > 0; n--) {
      const level = change('bid');
      if (level) deltaBids.push(level);
    }
    for (let n = 1 + random.nextInt(4); n > 0; n--) {
      const level = change('ask');
      if (level) deltaAsks.push(level);
    }
    const count = Math.max(1, deltaBids.length + deltaAsks.length);
    deltas.push({
      instrumentId: ID,
      firstSequence: sequence + 1,
      lastSequence: sequence + count,
      bids: deltaBids,
      asks: deltaAsks,
      timeMs: i * 100,
    });
    sequence += count;
  }
  return { snapshot, deltas };
}

/*
 * Two plain loops, found by binary search, with no validation, sequence rule or instrument check.
 * The first is the obvious code: number arrays with the best level first, as a book is printed,
 * edited with splice. The second is the practical limit: typed arrays with the best level last,
 * so that an edit near the top shifts only the few levels above it.
 */
class PlainSide {
  prices: number[] = [];
  sizes: number[] = [];
  constructor(private readonly descending: boolean) {}

  load(levels: readonly BookLevel[]): void {
    this.prices = levels.map((l) => l.price);
    this.sizes = levels.map((l) => l.size);
  }

  levels(): BookLevel[] {
    return this.prices.map((price, i) => ({ price, size: this.sizes[i]! }));
  }

  set(price: number, size: number): void {
    const prices = this.prices;
    let low = 0;
    let high = prices.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const p = prices[middle]!;
      if (this.descending ? p > price : p < price) low = middle + 1;
      else high = middle;
    }
    if (prices[low] === price) {
      if (size === 0) {
        prices.splice(low, 1);
        this.sizes.splice(low, 1);
      } else {
        this.sizes[low] = size;
      }
    } else if (size !== 0) {
      prices.splice(low, 0, price);
      this.sizes.splice(low, 0, size);
    }
  }
}

// Keys ascend with the best level last: the price for bids, minus the price for asks.
class PlainTypedSide {
  keys = new Float64Array(4096);
  sizes = new Float64Array(4096);
  length = 0;
  constructor(private readonly sign: 1 | -1) {}

  load(levels: readonly BookLevel[]): void {
    const count = levels.length;
    for (let i = 0; i < count; i++) {
      this.keys[count - 1 - i] = this.sign * levels[i]!.price;
      this.sizes[count - 1 - i] = levels[i]!.size;
    }
    this.length = count;
  }

  levels(): BookLevel[] {
    const result: BookLevel[] = [];
    for (let i = this.length - 1; i >= 0; i--) {
      result.push({ price: this.sign * this.keys[i]!, size: this.sizes[i]! });
    }
    return result;
  }

  set(price: number, size: number): void {
    const keys = this.keys;
    const key = this.sign * price;
    const length = this.length;
    let low = 0;
    let high = length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    if (low < length && keys[low] === key) {
      if (size === 0) {
        keys.copyWithin(low, low + 1, length);
        this.sizes.copyWithin(low, low + 1, length);
        this.length = length - 1;
      } else {
        this.sizes[low] = size;
      }
    } else if (size !== 0) {
      keys.copyWithin(low + 1, low, length);
      this.sizes.copyWithin(low + 1, low, length);
      keys[low] = key;
      this.sizes[low] = size;
      this.length = length + 1;
    }
  }
}

// One book class per side type keeps each call site monomorphic, as hand-written code would be.
class PlainSplicedBook {
  readonly bids = new PlainSide(true);
  readonly asks = new PlainSide(false);

  applySnapshot(snapshot: BookSnapshot): void {
    this.bids.load(snapshot.bids);
    this.asks.load(snapshot.asks);
  }

  applyDelta(delta: BookDelta): void {
    for (const level of delta.bids) this.bids.set(level.price, level.size);
    for (const level of delta.asks) this.asks.set(level.price, level.size);
  }
}

class PlainTypedBook {
  readonly bids = new PlainTypedSide(1);
  readonly asks = new PlainTypedSide(-1);

  applySnapshot(snapshot: BookSnapshot): void {
    this.bids.load(snapshot.bids);
    this.asks.load(snapshot.asks);
  }

  applyDelta(delta: BookDelta): void {
    for (const level of delta.bids) this.bids.set(level.price, level.size);
    for (const level of delta.asks) this.asks.set(level.price, level.size);
  }
}

// The peer is an optional dev dependency: the file runs without it and then measures only QTP
// and the plain loops. Its shape is typed here so the file compiles without its types.
type PeerLevel = [symbol: string, price: number, side: 'Buy' | 'Sell', qty: number];
interface PeerOrderBook {
  handleSnapshot(levels: PeerLevel[], timestamp?: number): unknown;
  handleDelta(
    deletes: PeerLevel[],
    upserts: PeerLevel[],
    inserts: PeerLevel[],
    timestamp?: number,
  ): unknown;
  getBestBid(): number | null;
  getBestAsk(): number | null;
  getBookState(): PeerLevel[];
}
interface PeerModule {
  OrderBook: new (symbol: string, options: { maxDepth: number }) => PeerOrderBook;
}

function loadPeer(): PeerModule | undefined {
  try {
    return createRequire(import.meta.url)('orderbooks') as PeerModule;
  } catch {
    return undefined;
  }
}

const { snapshot, deltas } = makeStream(42);
const changes = deltas.reduce((sum, d) => sum + d.bids.length + d.asks.length, 0);

function toPeerLevels(side: 'Buy' | 'Sell', levels: readonly BookLevel[]): PeerLevel[] {
  return levels.map((l) => ['BTCUSDT', l.price, side, l.size]);
}
const peerSnapshot = () => [
  ...toPeerLevels('Buy', snapshot.bids),
  ...toPeerLevels('Sell', snapshot.asks),
];
const peerDeltas = deltas.map((d) => {
  const all = [...toPeerLevels('Buy', d.bids), ...toPeerLevels('Sell', d.asks)];
  return {
    deletes: all.filter((l) => l[3] === 0),
    upserts: all.filter((l) => l[3] !== 0),
    timeMs: d.timeMs,
  };
});

// Replays the whole stream once through each book and checks they end alike.
function verify(peer: PeerModule | undefined): void {
  const qtp = new OrderBook({ instrumentId: ID });
  const plains = [new PlainSplicedBook(), new PlainTypedBook()];
  qtp.applySnapshot(snapshot);
  for (const plain of plains) plain.applySnapshot(snapshot);
  for (const d of deltas) {
    if (qtp.applyDelta(d) !== 'applied') throw new Error('the stream must apply cleanly');
    for (const plain of plains) plain.applyDelta(d);
  }
  const bids = qtp.bids();
  const asks = qtp.asks();
  const expected = JSON.stringify([bids, asks]);
  for (const plain of plains) {
    if (JSON.stringify([plain.bids.levels(), plain.asks.levels()]) !== expected) {
      throw new Error('QTP and a plain loop disagree on the final book');
    }
  }
  if (peer) {
    const book = new peer.OrderBook('BTCUSDT', { maxDepth: 10 * LEVELS });
    book.handleSnapshot(peerSnapshot(), 0);
    for (const d of peerDeltas) book.handleDelta(d.deletes, d.upserts, [], d.timeMs);
    // Its state is one array, highest price first: the asks from the top down, then the bids.
    const state = book.getBookState().map((l) => ({ price: l[1], size: l[3] }));
    if (JSON.stringify(state) !== JSON.stringify([...asks].reverse().concat(bids))) {
      throw new Error('orderbooks disagrees with QTP on the final book');
    }
  }
}

const peer = loadPeer();
verify(peer);

group(
  `order book: apply one diff-depth delta (${LEVELS} levels a side, ${(changes / DELTAS).toFixed(1)} changes a delta)`,
  () => {
    summary(() => {
      const qtp = new OrderBook({ instrumentId: ID });
      let qtpIndex = 0;
      bench('QTP OrderBook', () => {
        if (qtpIndex === 0) qtp.applySnapshot(snapshot);
        do_not_optimize(qtp.applyDelta(deltas[qtpIndex]!));
        qtpIndex = (qtpIndex + 1) % DELTAS;
      }).baseline(true);

      const bestLast = new PlainTypedBook();
      let bestLastIndex = 0;
      bench('plain typed arrays, best last', () => {
        if (bestLastIndex === 0) bestLast.applySnapshot(snapshot);
        bestLast.applyDelta(deltas[bestLastIndex]!);
        bestLastIndex = (bestLastIndex + 1) % DELTAS;
      });

      const bestFirst = new PlainSplicedBook();
      let bestFirstIndex = 0;
      bench('plain arrays, best first, splice', () => {
        if (bestFirstIndex === 0) bestFirst.applySnapshot(snapshot);
        bestFirst.applyDelta(deltas[bestFirstIndex]!);
        bestFirstIndex = (bestFirstIndex + 1) % DELTAS;
      });

      if (peer) {
        const book = new peer.OrderBook('BTCUSDT', { maxDepth: 10 * LEVELS });
        let peerIndex = 0;
        bench('orderbooks', () => {
          if (peerIndex === 0) book.handleSnapshot(peerSnapshot(), 0);
          const d = peerDeltas[peerIndex]!;
          book.handleDelta(d.deletes, d.upserts, [], d.timeMs);
          peerIndex = (peerIndex + 1) % DELTAS;
        });
      }
    });
  },
);
