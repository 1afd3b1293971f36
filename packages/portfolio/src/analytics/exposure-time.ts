import { ValidationError } from '@qtp/core';
import type { ClosedTrade } from './trade-statistics.js';
import { checkFinite, checkTrades } from './validate.js';

/** A span of time, epoch milliseconds. */
export interface TimeSpan {
  /** The start, epoch milliseconds. */
  readonly start: number;
  /** The end, epoch milliseconds; not before `start`. */
  readonly end: number;
}

/**
 * Returns the share of a span during which at least one trade was open: the length of the union
 * of the trades' [entryTime, exitTime] intervals, clipped to the span, divided by the span's
 * length. Overlapping trades count once. Returns `null` for an empty span (`end` equal to `start`).
 *
 * @param trades - closed trades
 * @param span - the span to measure against, usually the equity curve's first and last time
 * @throws ValidationError when a trade or the span is invalid
 * @example
 * ```ts
 * import { exposureTime } from '@qtp/portfolio';
 * exposureTime(
 *   [
 *     { entryTime: 0, exitTime: 30, pnl: 1 },
 *     { entryTime: 20, exitTime: 50, pnl: -1 },
 *   ],
 *   { start: 0, end: 100 },
 * ); // 0.5
 * ```
 */
export function exposureTime(trades: readonly ClosedTrade[], span: TimeSpan): number | null {
  checkTrades(trades);
  checkFinite('span.start', span.start);
  checkFinite('span.end', span.end);
  if (span.end < span.start) {
    throw new ValidationError('span.end', `not be before span.start (${span.start})`, span.end);
  }
  if (span.end === span.start) return null;
  const intervals = trades
    .map(
      (trade) =>
        [Math.max(trade.entryTime, span.start), Math.min(trade.exitTime, span.end)] as const,
    )
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let coveredUntil = span.start;
  for (const [from, to] of intervals) {
    if (to <= coveredUntil) continue;
    covered += to - Math.max(from, coveredUntil);
    coveredUntil = to;
  }
  return covered / (span.end - span.start);
}
