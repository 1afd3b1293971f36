import { ValidationError } from '@qtp/core';

/** Prices of one asset at strictly increasing times, such as the closes of its bars. */
export interface PriceHistory {
  /** Epoch milliseconds (or any strictly increasing key), one per price. */
  readonly times: ArrayLike<number>;
  /** Prices, finite and greater than 0, in the currency the portfolio is valued in. */
  readonly prices: ArrayLike<number>;
}

/** Simple returns of several assets over the times all of them share. */
export interface AlignedReturns {
  /** The assets, in the order of the histories given. */
  readonly assets: readonly string[];
  /** The shared times, one more than the returns: each return runs from one time to the next. */
  readonly times: Float64Array;
  /** Each asset's price at the last shared time. */
  readonly lastPrices: Float64Array;
  /** Per asset, in the order of `assets`, the returns price[t] / price[t - 1] - 1. */
  readonly returns: readonly Float64Array[];
}

/**
 * Returns the simple returns of several assets over the times all of them have a price: an inner
 * join of the histories on time, then price[t] / price[t - 1] - 1 between consecutive shared
 * times. A time missing from any one history is dropped for all, so every return of every asset
 * covers the same interval.
 *
 * @param histories - per asset, its prices at strictly increasing times
 * @throws ValidationError when there are no histories, a history's times are not strictly
 *   increasing or its prices are not finite and positive, the two arrays differ in length, or
 *   fewer than three times are shared
 * @example
 * ```ts
 * import { alignReturns } from '@qtp/risk';
 * const aligned = alignReturns({
 *   BTC: { times: [1, 2, 3, 4], prices: [100, 110, 99, 99] },
 *   ETH: { times: [1, 2, 4], prices: [10, 11, 12.1] },
 * });
 * aligned.times; // Float64Array [1, 2, 4]
 * aligned.returns; // [Float64Array [0.1, -0.1], Float64Array [0.1, 0.1]]
 * ```
 */
export function alignReturns(histories: Readonly<Record<string, PriceHistory>>): AlignedReturns {
  if (typeof histories !== 'object' || histories === null) {
    throw new ValidationError('histories', 'be an object of price histories by asset', histories);
  }
  const assets = Object.keys(histories);
  if (assets.length === 0) {
    throw new ValidationError('histories', 'name at least one asset', 'no assets');
  }
  const series = assets.map((asset) => checkHistory(asset, histories[asset]));
  const shared = sharedIndexes(series);
  const count = shared[0]!.length;
  if (count < 3) {
    throw new ValidationError(
      'histories',
      'share at least 3 times across all assets',
      `${count} shared times`,
    );
  }
  const times = new Float64Array(count);
  const first = series[0]!;
  for (let k = 0; k < count; k++) times[k] = first.times[shared[0]![k]!]!;
  const lastPrices = new Float64Array(assets.length);
  const returns = series.map((history, a) => {
    const indexes = shared[a]!;
    const out = new Float64Array(count - 1);
    for (let k = 1; k < count; k++) {
      out[k - 1] = history.prices[indexes[k]!]! / history.prices[indexes[k - 1]!]! - 1;
    }
    lastPrices[a] = history.prices[indexes[count - 1]!]!;
    return out;
  });
  return { assets, times, lastPrices, returns };
}

function checkHistory(asset: string, history: PriceHistory | undefined): PriceHistory {
  const field = `histories.${asset}`;
  if (typeof history !== 'object' || history === null) {
    throw new ValidationError(field, 'be an object with times and prices', history);
  }
  const { times, prices } = history;
  if (typeof times?.length !== 'number' || typeof prices?.length !== 'number') {
    throw new ValidationError(field, 'have array-like times and prices', history);
  }
  if (times.length !== prices.length) {
    throw new ValidationError(
      `${field}.prices`,
      `have as many prices as times (${times.length})`,
      `${prices.length} prices`,
    );
  }
  for (let i = 0; i < times.length; i++) {
    const time = times[i];
    if (typeof time !== 'number' || !Number.isFinite(time) || (i > 0 && time <= times[i - 1]!)) {
      throw new ValidationError(`${field}.times[${i}]`, 'be finite and strictly increasing', time);
    }
    const price = prices[i];
    if (typeof price !== 'number' || !Number.isFinite(price) || price <= 0) {
      throw new ValidationError(`${field}.prices[${i}]`, 'be a finite number above 0', price);
    }
  }
  return history;
}

// Walks every history at once, advancing whichever is behind, and records the index of each time
// all of them hold: O(total length) for sorted times.
function sharedIndexes(series: readonly PriceHistory[]): Uint32Array[] {
  const cursors = new Uint32Array(series.length);
  const found: number[][] = series.map(() => []);
  for (;;) {
    let latest = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < series.length; a++) {
      const history = series[a]!;
      if (cursors[a]! >= history.times.length) return found.map((list) => Uint32Array.from(list));
      latest = Math.max(latest, history.times[cursors[a]!]!);
    }
    let aligned = true;
    for (let a = 0; a < series.length; a++) {
      const times = series[a]!.times;
      while (cursors[a]! < times.length && times[cursors[a]!]! < latest) cursors[a]!++;
      if (cursors[a]! >= times.length) return found.map((list) => Uint32Array.from(list));
      if (times[cursors[a]!] !== latest) aligned = false;
    }
    if (aligned) {
      for (let a = 0; a < series.length; a++) {
        found[a]!.push(cursors[a]!);
        cursors[a]!++;
      }
    }
  }
}
