import { ValidationError } from './errors.js';
import type { InstrumentId } from './identifiers.js';
import type { AggressorSide, BookDelta, BookLevel, BookSnapshot } from './market-data.js';

/**
 * What {@link OrderBook.applyDelta} did with a delta:
 * - `'applied'`: the delta followed the book's sequence and its changes are in the book;
 * - `'stale'`: the delta ends at or before the book's sequence (it predates the snapshot) and was
 *   skipped, as Binance's procedure says;
 * - `'gap'`: the delta starts after the next expected update id, so updates were lost; nothing was
 *   applied and the book now needs a new snapshot;
 * - `'needs-resync'`: the book had no valid state (no snapshot yet, or an earlier gap) and refused
 *   the delta.
 */
export type ApplyDeltaResult = 'applied' | 'stale' | 'gap' | 'needs-resync';

/** The estimate of filling a size against the levels of one side of a book. */
export interface FillEstimate {
  /** `'filled'` when the side holds the whole size, `'partial'` when it runs out first. */
  readonly status: 'filled' | 'partial';
  /** The size-weighted average price of the part that fills. */
  readonly averagePrice: number;
  /** The price of the last level reached, the worst price paid or received. */
  readonly worstPrice: number;
  /** The size that fills: the whole size when filled, the side's total size when partial. */
  readonly filledSize: number;
  /** The size the side cannot fill; 0 when filled. */
  readonly remainingSize: number;
}

/** The estimate of filling a size against a side of the book that has no levels. */
export interface EmptySideEstimate {
  /** Always `'empty'`: nothing fills. */
  readonly status: 'empty';
  /** Always 0. */
  readonly filledSize: 0;
  /** The whole size asked for. */
  readonly remainingSize: number;
}

/** The result of {@link OrderBook.averageFillPrice}: a fill estimate, or a note that the side is empty. */
export type AverageFillPriceResult = FillEstimate | EmptySideEstimate;

/** Options of {@link OrderBook}. */
export interface OrderBookOptions {
  /** The instrument the book tracks; snapshots and deltas of another instrument are refused. */
  instrumentId: InstrumentId;
}

/*
 * One side of the book in two parallel Float64Arrays, sorted by ascending key with the best level
 * last. The key is the price for bids and minus the price for asks, so both sides share one search,
 * and changes near the top (most of a real feed) shift only the few elements after them.
 */
class BookSide {
  keys: Float64Array;
  sizes: Float64Array;
  length = 0;
  readonly sign: 1 | -1;

  constructor(sign: 1 | -1) {
    this.sign = sign;
    this.keys = new Float64Array(64);
    this.sizes = new Float64Array(64);
  }

  // Returns the first index whose key is >= key. It gallops down from the best level before
  // bisecting, because most changes land within a few levels of the top.
  lowerBound(key: number): number {
    const keys = this.keys;
    let high = this.length;
    let probe = high - 1;
    let step = 1;
    while (probe >= 0 && keys[probe]! >= key) {
      high = probe;
      probe -= step;
      step <<= 1;
    }
    let low = probe < 0 ? 0 : probe + 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (keys[middle]! < key) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  set(price: number, size: number): void {
    const key = this.sign * price;
    const length = this.length;
    const index = this.lowerBound(key);
    if (index < length && this.keys[index] === key) {
      if (size === 0) {
        this.shiftDown(index, length);
        this.length = length - 1;
      } else {
        this.sizes[index] = size;
      }
      return;
    }
    if (size === 0) return;
    if (length === this.keys.length) this.grow(length * 2);
    this.shiftUp(index, length);
    this.keys[index] = key;
    this.sizes[index] = size;
    this.length = length + 1;
  }

  // Moves levels index+1..length-1 down by one. Near the top only a few move, and a plain loop
  // beats copyWithin's call overhead there.
  private shiftDown(index: number, length: number): void {
    const keys = this.keys;
    const sizes = this.sizes;
    if (length - index > 32) {
      keys.copyWithin(index, index + 1, length);
      sizes.copyWithin(index, index + 1, length);
      return;
    }
    for (let i = index + 1; i < length; i++) {
      keys[i - 1] = keys[i]!;
      sizes[i - 1] = sizes[i]!;
    }
  }

  // Moves levels index..length-1 up by one to open a slot at index.
  private shiftUp(index: number, length: number): void {
    const keys = this.keys;
    const sizes = this.sizes;
    if (length - index > 32) {
      keys.copyWithin(index + 1, index, length);
      sizes.copyWithin(index + 1, index, length);
      return;
    }
    for (let i = length; i > index; i--) {
      keys[i] = keys[i - 1]!;
      sizes[i] = sizes[i - 1]!;
    }
  }

  // Loads levels listed best first; they were checked to be strictly ordered.
  load(levels: readonly BookLevel[]): void {
    const count = levels.length;
    if (count > this.keys.length) this.grow(count);
    for (let i = 0; i < count; i++) {
      const level = levels[i]!;
      this.keys[count - 1 - i] = this.sign * level.price;
      this.sizes[count - 1 - i] = level.size;
    }
    this.length = count;
  }

  grow(capacity: number): void {
    const keys = new Float64Array(capacity);
    const sizes = new Float64Array(capacity);
    keys.set(this.keys.subarray(0, this.length));
    sizes.set(this.sizes.subarray(0, this.length));
    this.keys = keys;
    this.sizes = sizes;
  }

  best(): BookLevel | undefined {
    const index = this.length - 1;
    return index < 0
      ? undefined
      : { price: this.sign * this.keys[index]!, size: this.sizes[index]! };
  }

  bestPrice(): number | undefined {
    return this.length === 0 ? undefined : this.sign * this.keys[this.length - 1]!;
  }

  top(count: number): BookLevel[] {
    const end = Math.min(count, this.length);
    const result: BookLevel[] = new Array(end);
    for (let i = 0; i < end; i++) {
      const index = this.length - 1 - i;
      result[i] = { price: this.sign * this.keys[index]!, size: this.sizes[index]! };
    }
    return result;
  }

  equals(other: BookSide): boolean {
    if (this.length !== other.length) return false;
    for (let i = 0; i < this.length; i++) {
      if (this.keys[i] !== other.keys[i] || this.sizes[i] !== other.sizes[i]) return false;
    }
    return true;
  }
}

function isPrice(value: unknown): boolean {
  return typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY;
}

function checkSequence(field: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ValidationError(field, 'be a whole number of at least 0', value);
  }
}

function checkTime(value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValidationError('timeMs', 'be a finite number of epoch milliseconds', value);
  }
}

// Checks a delta's changes before any is applied, so a bad level leaves the book untouched.
function checkChanges(side: 'bids' | 'asks', changes: readonly BookLevel[]): void {
  if (!Array.isArray(changes)) throw new ValidationError(side, 'be an array of levels', changes);
  for (let i = 0; i < changes.length; i++) {
    const { price, size } = changes[i]!;
    if (!isPrice(price)) {
      throw new ValidationError(`${side}[${i}].price`, 'be a finite number greater than 0', price);
    }
    if (typeof size !== 'number' || !(size >= 0 && size < Number.POSITIVE_INFINITY)) {
      throw new ValidationError(`${side}[${i}].size`, 'be a finite number of at least 0', size);
    }
  }
}

function checkSnapshotSide(side: 'bids' | 'asks', levels: readonly BookLevel[]): void {
  if (!Array.isArray(levels)) throw new ValidationError(side, 'be an array of levels', levels);
  let previous = side === 'bids' ? Number.POSITIVE_INFINITY : 0;
  for (let i = 0; i < levels.length; i++) {
    const { price, size } = levels[i]!;
    if (!isPrice(price)) {
      throw new ValidationError(`${side}[${i}].price`, 'be a finite number greater than 0', price);
    }
    if (!isPrice(size)) {
      throw new ValidationError(`${side}[${i}].size`, 'be a finite number greater than 0', size);
    }
    if (side === 'bids' ? price >= previous : price <= previous) {
      const rule =
        side === 'bids'
          ? `be below the previous bid ${previous} (bids are listed highest first, each price once)`
          : `be above the previous ask ${previous} (asks are listed lowest first, each price once)`;
      throw new ValidationError(`${side}[${i}].price`, rule, price);
    }
    previous = price;
  }
}

/**
 * An L2 order book (aggregated price levels) for one instrument, kept in sync from a snapshot and
 * a stream of deltas by Binance's procedure for a local order book.
 *
 * A delta must continue the book's sequence: one that ends at or before it is stale and skipped;
 * one that starts after the next expected update id reveals a gap, is never applied, and leaves
 * the book in {@link OrderBook.needsResync} until the next snapshot. Gaps are part of normal
 * operation on a lossy feed, so {@link OrderBook.applyDelta} reports them as a result rather than
 * throwing. Malformed input (NaN or negative prices and sizes, another instrument) throws a
 * {@link ValidationError} and changes nothing.
 *
 * Each side is kept sorted in typed arrays with the best level last, so applying a change costs a
 * short search and a shift of the levels above it, and reading the top of the book costs nothing.
 * Prices and sizes are observed numbers (see {@link BookLevel}).
 *
 * A crossed book (best bid at or above best ask, see {@link OrderBook.isCrossed}) after a fully
 * applied delta means the local state is wrong; treat it as a reason to fetch a new snapshot.
 *
 * @example
 * ```ts
 * import { instrumentId, OrderBook } from '@qtp/core';
 * const id = instrumentId('BTCUSDT', 'BINANCE');
 * const book = new OrderBook({ instrumentId: id });
 * book.applySnapshot({
 *   instrumentId: id, sequence: 100, timeMs: 1_700_000_000_000,
 *   bids: [{ price: 99, size: 2 }], asks: [{ price: 101, size: 1 }],
 * });
 * const result = book.applyDelta({
 *   instrumentId: id, firstSequence: 101, lastSequence: 102, timeMs: 1_700_000_000_100,
 *   bids: [{ price: 100, size: 1 }], asks: [{ price: 101, size: 0 }],
 * });
 * if (result === 'gap') refetchSnapshot();
 * book.bestBid(); // { price: 100, size: 1 }
 * ```
 */
export class OrderBook {
  /** The instrument the book tracks. */
  readonly instrumentId: InstrumentId;
  private readonly bidSide = new BookSide(1);
  private readonly askSide = new BookSide(-1);
  private lastSequence: number | undefined = undefined;
  private lastTimeMs: number | undefined = undefined;
  private resync = true;

  /** Creates an empty book that needs a snapshot before it accepts deltas. */
  constructor(options: OrderBookOptions) {
    this.instrumentId = options.instrumentId;
  }

  /** The id of the last update in the book, or `undefined` before the first snapshot. */
  get sequence(): number | undefined {
    return this.lastSequence;
  }

  /** The time of the last snapshot or delta applied, epoch milliseconds, or `undefined` before any. */
  get timeMs(): number | undefined {
    return this.lastTimeMs;
  }

  /**
   * True until the first snapshot, and again after a delta revealed a gap: the book then refuses
   * every delta until {@link OrderBook.applySnapshot}. Its levels are left as they were, but they
   * are out of date.
   */
  get needsResync(): boolean {
    return this.resync;
  }

  /**
   * Replaces the whole book with `snapshot` and clears {@link OrderBook.needsResync}.
   * @throws {@link ValidationError} when the snapshot is of another instrument, its sequence is
   *   not a whole number of at least 0, a price or size is not a finite number greater than 0, or
   *   a side is out of order (bids highest first, asks lowest first, each price once); the book
   *   is then unchanged
   */
  applySnapshot(snapshot: BookSnapshot): void {
    this.checkInstrument(snapshot.instrumentId);
    checkSequence('sequence', snapshot.sequence);
    checkTime(snapshot.timeMs);
    checkSnapshotSide('bids', snapshot.bids);
    checkSnapshotSide('asks', snapshot.asks);
    this.bidSide.load(snapshot.bids);
    this.askSide.load(snapshot.asks);
    this.lastSequence = snapshot.sequence;
    this.lastTimeMs = snapshot.timeMs;
    this.resync = false;
  }

  /**
   * Applies `delta` when it continues the book's sequence, and reports what happened (see
   * {@link ApplyDeltaResult}). A delta is applied when `firstSequence <= sequence + 1 <=
   * lastSequence`; each change sets its level to the new size, and a size of 0 removes it.
   * @throws {@link ValidationError} when the delta is of another instrument, its sequences are not
   *   whole numbers with `firstSequence <= lastSequence`, or a price is not a finite number greater
   *   than 0 or a size not a finite number of at least 0; the book is then unchanged
   */
  applyDelta(delta: BookDelta): ApplyDeltaResult {
    this.checkInstrument(delta.instrumentId);
    const first = delta.firstSequence;
    const last = delta.lastSequence;
    checkSequence('firstSequence', first);
    checkSequence('lastSequence', last);
    if (last < first) {
      throw new ValidationError('lastSequence', `be at least firstSequence ${first}`, last);
    }
    checkTime(delta.timeMs);
    checkChanges('bids', delta.bids);
    checkChanges('asks', delta.asks);
    if (this.resync) return 'needs-resync';
    const current = this.lastSequence!;
    if (last <= current) return 'stale';
    if (first > current + 1) {
      this.resync = true;
      return 'gap';
    }
    const bids = delta.bids;
    for (let i = 0; i < bids.length; i++) {
      const level = bids[i]!;
      this.bidSide.set(level.price, level.size);
    }
    const asks = delta.asks;
    for (let i = 0; i < asks.length; i++) {
      const level = asks[i]!;
      this.askSide.set(level.price, level.size);
    }
    this.lastSequence = last;
    this.lastTimeMs = delta.timeMs;
    return 'applied';
  }

  /** Returns the highest bid level, or `undefined` when there are no bids. */
  bestBid(): BookLevel | undefined {
    return this.bidSide.best();
  }

  /** Returns the lowest ask level, or `undefined` when there are no asks. */
  bestAsk(): BookLevel | undefined {
    return this.askSide.best();
  }

  /** Returns the midpoint of the best bid and ask prices, or `undefined` when a side is empty. */
  mid(): number | undefined {
    const bid = this.bidSide.bestPrice();
    const ask = this.askSide.bestPrice();
    return bid === undefined || ask === undefined ? undefined : (bid + ask) / 2;
  }

  /**
   * Returns best ask minus best bid (negative when the book is crossed), or `undefined` when a
   * side is empty.
   */
  spread(): number | undefined {
    const bid = this.bidSide.bestPrice();
    const ask = this.askSide.bestPrice();
    return bid === undefined || ask === undefined ? undefined : ask - bid;
  }

  /**
   * Returns up to `count` bid levels, highest price first (all of them by default).
   * @throws {@link ValidationError} when `count` is not a whole number of at least 0 or infinity
   */
  bids(count = Number.POSITIVE_INFINITY): BookLevel[] {
    checkCount(count);
    return this.bidSide.top(count);
  }

  /**
   * Returns up to `count` ask levels, lowest price first (all of them by default).
   * @throws {@link ValidationError} when `count` is not a whole number of at least 0 or infinity
   */
  asks(count = Number.POSITIVE_INFINITY): BookLevel[] {
    checkCount(count);
    return this.askSide.top(count);
  }

  /**
   * Returns true when both sides have levels and the best bid is at or above the best ask, which
   * a consistent book of one venue never shows.
   */
  isCrossed(): boolean {
    const bid = this.bidSide.bestPrice();
    const ask = this.askSide.bestPrice();
    return bid !== undefined && ask !== undefined && bid >= ask;
  }

  /**
   * Estimates the fill of a market order of `size` by walking the opposite side from its best
   * level: a `'BUY'` takes asks from the lowest price up, a `'SELL'` takes bids from the highest
   * price down. Returns the size-weighted average price, the worst price reached, and whether the
   * side holds enough depth (`status` `'filled'`, `'partial'` or `'empty'`).
   * @throws {@link ValidationError} when `side` is not BUY or SELL or `size` is not a finite
   *   number greater than 0
   * @example
   * ```ts
   * import { instrumentId, OrderBook } from '@qtp/core';
   * const id = instrumentId('BTCUSDT', 'BINANCE');
   * const book = new OrderBook({ instrumentId: id });
   * book.applySnapshot({
   *   instrumentId: id, sequence: 1, timeMs: 0,
   *   bids: [], asks: [{ price: 100, size: 1 }, { price: 101, size: 2 }],
   * });
   * const estimate = book.averageFillPrice('BUY', 2);
   * if (estimate.status === 'filled') estimate.averagePrice; // (100 * 1 + 101 * 1) / 2 = 100.5
   * ```
   */
  averageFillPrice(side: AggressorSide, size: number): AverageFillPriceResult {
    if (side !== 'BUY' && side !== 'SELL') {
      throw new ValidationError('side', 'be BUY or SELL', side);
    }
    if (!isPrice(size))
      throw new ValidationError('size', 'be a finite number greater than 0', size);
    const book = side === 'BUY' ? this.askSide : this.bidSide;
    if (book.length === 0) return { status: 'empty', filledSize: 0, remainingSize: size };
    let remaining = size;
    let notional = 0;
    let filled = 0;
    let worst = 0;
    for (let index = book.length - 1; index >= 0; index--) {
      const price = book.sign * book.keys[index]!;
      const available = book.sizes[index]!;
      worst = price;
      // Comparing before subtracting keeps rounding residue (0.3 - 0.1 - 0.2) from faking a shortfall.
      if (available >= remaining) {
        notional += price * remaining;
        return {
          status: 'filled',
          averagePrice: notional / size,
          worstPrice: worst,
          filledSize: size,
          remainingSize: 0,
        };
      }
      notional += price * available;
      filled += available;
      remaining -= available;
    }
    return {
      status: 'partial',
      averagePrice: notional / filled,
      worstPrice: worst,
      filledSize: filled,
      remainingSize: remaining,
    };
  }

  /**
   * Returns true when `other` tracks the same instrument at the same sequence with exactly the
   * same levels and sizes. Meant for tests; it ignores {@link OrderBook.needsResync} and times.
   */
  equals(other: OrderBook): boolean {
    return (
      this.instrumentId === other.instrumentId &&
      this.lastSequence === other.lastSequence &&
      this.bidSide.equals(other.bidSide) &&
      this.askSide.equals(other.askSide)
    );
  }

  private checkInstrument(id: InstrumentId): void {
    if (id !== this.instrumentId) {
      throw new ValidationError(
        'instrumentId',
        `be ${this.instrumentId}, the instrument of this book`,
        id,
      );
    }
  }
}

function checkCount(count: number): void {
  if (count !== Number.POSITIVE_INFINITY && !(Number.isSafeInteger(count) && count >= 0)) {
    throw new ValidationError('count', 'be a whole number of at least 0, or Infinity', count);
  }
}
