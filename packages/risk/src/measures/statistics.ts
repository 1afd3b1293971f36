// Sample statistics of a return series, shared by the risk measures; not part of the public API.
// simple-statistics' sampleSkewness and sampleKurtosis are the bias-adjusted estimators (scipy's
// bias=False); the Cornish-Fisher expansion here uses the moment forms (scipy's default), and one
// pass gives the mean and every moment at once.

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

/**
 * Returns the same type-7 quantile as {@link sortedQuantile} of unsorted `values`, reordering
 * them in place: a quickselect for the lower order statistic, then the least value above it for
 * the upper one, in O(n) expected instead of a sort's O(n log n).
 */
export function selectQuantile(values: Float64Array, p: number): number {
  const n = values.length;
  const h = (n - 1) * p;
  const k = Math.floor(h);
  const below = selectInPlace(values, k);
  if (k + 1 >= n) return below;
  let above = Number.POSITIVE_INFINITY;
  for (let i = k + 1; i < n; i++) if (values[i]! < above) above = values[i]!;
  return below + (h - k) * (above - below);
}

// Hoare's selection with a median-of-three pivot: afterwards values[k] is the k-th smallest,
// everything before it is at most it and everything after at least it.
function selectInPlace(values: Float64Array, k: number): number {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    const middle = (left + right) >>> 1;
    if (values[middle]! < values[left]!) swap(values, middle, left);
    if (values[right]! < values[left]!) swap(values, right, left);
    if (values[right]! < values[middle]!) swap(values, right, middle);
    const pivot = values[middle]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        swap(values, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else break;
  }
  return values[k]!;
}

function swap(values: Float64Array, a: number, b: number): void {
  const t = values[a]!;
  values[a] = values[b]!;
  values[b] = t;
}
