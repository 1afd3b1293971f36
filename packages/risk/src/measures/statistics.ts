// Sample statistics of a return series, shared by the risk measures; not part of the public API.

/** Returns the arithmetic mean. */
export function meanOf(xs: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]!;
  return sum / xs.length;
}

/** The mean and the central moments a VaR needs, from one pass over deviations. */
export interface Moments {
  /** The arithmetic mean. */
  readonly mean: number;
  /** The sample standard deviation, divisor n - 1. */
  readonly standardDeviation: number;
  /** The moment skewness m3 / m2^1.5 (biased, divisor n), NaN when every value is equal. */
  readonly skewness: number;
  /** The moment excess kurtosis m4 / m2^2 - 3 (biased, divisor n), NaN when every value is equal. */
  readonly excessKurtosis: number;
}

/** Returns the mean, sample standard deviation, moment skewness and moment excess kurtosis. */
export function momentsOf(xs: ArrayLike<number>): Moments {
  const n = xs.length;
  const mean = meanOf(xs);
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - mean;
    const d2 = d * d;
    s2 += d2;
    s3 += d2 * d;
    s4 += d2 * d2;
  }
  const m2 = s2 / n;
  return {
    mean,
    standardDeviation: n > 1 ? Math.sqrt(s2 / (n - 1)) : 0,
    skewness: m2 > 0 ? s3 / n / m2 ** 1.5 : Number.NaN,
    excessKurtosis: m2 > 0 ? s4 / n / (m2 * m2) - 3 : Number.NaN,
  };
}

/** Returns a sorted copy of `xs` as a Float64Array. */
export function sortedCopy(xs: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(xs);
  sorted.sort();
  return sorted;
}

/**
 * Returns the quantile at probability `p` of values sorted ascending, interpolating linearly
 * between order statistics at the position (n - 1) p: Hyndman and Fan's type 7, R's default and
 * numpy's `linear`.
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lower = Math.floor(h);
  const below = sorted[lower]!;
  if (lower + 1 >= sorted.length) return below;
  return below + (h - lower) * (sorted[lower + 1]! - below);
}
