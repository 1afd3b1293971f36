import {
  type BookDelta,
  type BookSnapshot,
  type InstrumentId,
  OrderBook,
  ValidationError,
} from '@qtp/core';

/**
 * What {@link DepthSync.applyDiff} did with a diff event: `buffered` while waiting for a
 * snapshot, `applied`, `stale` (already in the book), or `gap` (updates were lost: the book is
 * invalid and a new snapshot is needed).
 */
export type DepthDiffResult = 'buffered' | 'applied' | 'stale' | 'gap';

/**
 * What {@link DepthSync.applySnapshot} did: `synced` (the book is valid), `too-old` (the
 * snapshot predates the buffered stream: fetch another), or `gap` (the buffered events do not
 * continue the snapshot: fetch another).
 */
export type DepthSnapshotResult = 'synced' | 'too-old' | 'gap';

/** Options of {@link DepthSync}. */
export interface DepthSyncOptions {
  /** The instrument of the book. */
  readonly instrumentId: InstrumentId;
  /** At most this many diff events are buffered while waiting for a snapshot (default 10 000). */
  readonly maxBuffered?: number;
}

/**
 * Keeps a local L2 book from a REST snapshot and the diff depth stream by Binance's procedure:
 * buffer diffs from the moment the stream opens, take a snapshot, drop buffered diffs the
 * snapshot already holds, check that the first remaining one continues it, then apply every diff
 * that continues the book. A diff that starts past the next expected update id is a gap: the book
 * is thrown away and buffering starts again from that diff, so the caller fetches a new snapshot.
 * A book that comes out crossed is treated as a gap too.
 *
 * A snapshot is refused as too old when its `lastUpdateId + 1` is below the first buffered `U`.
 * (Binance's text says "below `U`"; taken literally that would refetch forever in a market where
 * nothing changes after the first buffered event, and the step after it accepts exactly this
 * snapshot.)
 *
 * Pure state: no sockets, no timers; {@link BinanceExchange} drives it.
 *
 * @example
 * ```ts
 * import { instrumentId } from '@qtp/core';
 * import { DepthSync } from '@qtp/exchange/binance';
 * const sync = new DepthSync({ instrumentId: instrumentId('BTCUSDT', 'BINANCE') });
 * sync.applyDiff(delta); // 'buffered'
 * if (sync.applySnapshot(snapshot) !== 'synced') refetch();
 * sync.book.bestBid();
 * ```
 */
export class DepthSync {
  /** The instrument of the book. */
  readonly instrumentId: InstrumentId;
  private current: OrderBook;
  private buffer: BookDelta[] = [];
  private valid = false;
  private readonly maxBuffered: number;

  /** Creates a sync that buffers until its first snapshot. */
  constructor(options: DepthSyncOptions) {
    this.instrumentId = options.instrumentId;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    if (!Number.isInteger(this.maxBuffered) || this.maxBuffered < 1) {
      throw new ValidationError('maxBuffered', 'be a whole number >= 1', this.maxBuffered);
    }
    this.current = new OrderBook({ instrumentId: this.instrumentId });
  }

  /** The local book; read it only while {@link DepthSync.synced} is true. */
  get book(): OrderBook {
    return this.current;
  }

  /** True while the book is built from a snapshot and every diff since. */
  get synced(): boolean {
    return this.valid;
  }

  /** The number of diffs waiting for a snapshot. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Throws the book away and buffers again, as after a reconnect. */
  reset(): void {
    this.valid = false;
    this.buffer = [];
    this.current = new OrderBook({ instrumentId: this.instrumentId });
  }

  /**
   * Takes one diff event of the stream, in arrival order.
   * @throws {@link @qtp/core!ValidationError} when the diff is malformed or of another instrument
   */
  applyDiff(delta: BookDelta): DepthDiffResult {
    if (!this.valid) {
      if (delta.instrumentId !== this.instrumentId) {
        throw new ValidationError('instrumentId', `be ${this.instrumentId}`, delta.instrumentId);
      }
      // Overflow keeps the newest diffs; the snapshot check then asks for a newer snapshot.
      if (this.buffer.length >= this.maxBuffered) this.buffer.shift();
      this.buffer.push(delta);
      return 'buffered';
    }
    const result = this.current.applyDelta(delta);
    if (result === 'applied' && !this.current.isCrossed()) return 'applied';
    if (result === 'stale') return 'stale';
    this.restartFrom(delta);
    return 'gap';
  }

  /**
   * Builds the book from a snapshot and the buffered diffs.
   * @throws {@link @qtp/core!ValidationError} when the snapshot is malformed or of another instrument
   */
  applySnapshot(snapshot: BookSnapshot): DepthSnapshotResult {
    const first = this.buffer[0];
    if (first !== undefined && snapshot.sequence + 1 < first.firstSequence) return 'too-old';
    const book = new OrderBook({ instrumentId: this.instrumentId });
    book.applySnapshot(snapshot);
    const pending = this.buffer.filter((delta) => delta.lastSequence > snapshot.sequence);
    const head = pending[0];
    if (head !== undefined && head.firstSequence > snapshot.sequence + 1) {
      this.buffer = pending;
      return 'gap';
    }
    for (const delta of pending) {
      const result = book.applyDelta(delta);
      if (result !== 'applied' && result !== 'stale') {
        this.buffer = pending.slice(pending.indexOf(delta));
        return 'gap';
      }
    }
    if (book.isCrossed()) {
      this.buffer = [];
      return 'gap';
    }
    this.current = book;
    this.buffer = [];
    this.valid = true;
    return 'synced';
  }

  private restartFrom(delta: BookDelta): void {
    this.valid = false;
    this.current = new OrderBook({ instrumentId: this.instrumentId });
    this.buffer = [delta];
  }
}
