import { ValidationError } from '@qtp/core';
import type { AlignedReturns } from '../measures/aligned-returns.js';
import type { StressPosition } from './stress-position.js';

/** The window of history in which the holdings lost most, and how each asset moved in it. */
export interface HistoricalWindow {
  /** The shared time the window starts at (the price it moves from). */
  readonly startTimeMs: number;
  /** The shared time the window ends at, at most the duration after the start. */
  readonly endTimeMs: number;
  /** Per asset of the history, its relative price move over the window. */
  readonly priceChanges: Readonly<Record<string, number>>;
}

/**
 * Returns the window of at most `durationMs` in the aligned history over which the holdings,
 * valued at their current prices and moved as their assets moved then, lost most: for each
 * shared time as a start, the window ends at the last shared time within the duration. Only
 * windows the history covers in full count (none starts less than the duration before its last
 * time). Runs in O(times x assets).
 *
 * @param history - aligned returns from `alignReturns`, naming every asset held
 * @param positions - the holdings
 * @param durationMs - the window's length, greater than 0
 * @throws ValidationError when a held asset is missing from the history or no window fits
 * @example
 * ```ts
 * import { alignReturns, worstHistoricalWindow } from '@qtp/risk';
 * const history = alignReturns({ BTC: { times: [0, 1, 2, 3], prices: [100, 90, 95, 80] } });
 * const positions = [{ instrumentId: 'BTCUSDT.BINANCE', asset: 'BTC', quantity: 1, price: 80 }];
 * worstHistoricalWindow(history, positions, 1); // from 2 to 3: BTC -15.8 %, the whole 1-long window
 * ```
 */
export function worstHistoricalWindow(
  history: AlignedReturns,
  positions: readonly StressPosition[],
  durationMs: number,
): HistoricalWindow {
  const { assets, times, returns } = history;
  const values = new Float64Array(assets.length);
  positions.forEach((position, i) => {
    const index = assets.indexOf(position.asset);
    if (index < 0) {
      throw new ValidationError(
        `positions[${i}].asset`,
        `be an asset of the history (${assets.join(', ')})`,
        position.asset,
      );
    }
    values[index] = values[index]! + position.quantity * position.price;
  });
  // Price index per asset at each shared time, so a window's move is a ratio of two entries.
  const n = times.length;
  const levels = assets.map((_, a) => {
    const level = new Float64Array(n);
    level[0] = 1;
    const column = returns[a]!;
    for (let t = 1; t < n; t++) level[t] = level[t - 1]! * (1 + column[t - 1]!);
    return level;
  });
  let worst = Number.POSITIVE_INFINITY;
  let bestStart = -1;
  let bestEnd = -1;
  let end = 0;
  // Only whole windows count: a start within the duration of the last time is cut short.
  for (let start = 0; start < n - 1 && times[start]! + durationMs <= times[n - 1]!; start++) {
    if (end < start) end = start;
    while (end + 1 < n && times[end + 1]! - times[start]! <= durationMs) end++;
    if (end === start) continue;
    let pnl = 0;
    for (let a = 0; a < assets.length; a++) {
      if (values[a] === 0) continue;
      pnl += values[a]! * (levels[a]![end]! / levels[a]![start]! - 1);
    }
    if (pnl < worst) {
      worst = pnl;
      bestStart = start;
      bestEnd = end;
    }
  }
  if (bestStart < 0) {
    throw new ValidationError(
      'durationMs',
      'span two shared times and fit in the history',
      durationMs,
    );
  }
  const priceChanges: Record<string, number> = {};
  assets.forEach((asset, a) => {
    priceChanges[asset] = levels[a]![bestEnd]! / levels[a]![bestStart]! - 1;
  });
  return { startTimeMs: times[bestStart]!, endTimeMs: times[bestEnd]!, priceChanges };
}
