import type { EquityCurve } from './equity-curve.js';

// The per-point walks of `computePerformance`, fewer than its public functions take one by one.
// Internal: not part of the public API. Each quantity is the same arithmetic, in the same order,
// as the public function it stands for, so the results are equal to the last bit (a property
// test holds the two side by side). Each function is one loop: a function run once per report
// is optimized while its loop runs, and code after a loop that has not run yet would send it
// back to the interpreter.

/**
 * Returns whether the curve passes `checkEquityCurve`, in one walk; the caller runs the check
 * itself when it does not, for its error. Also returns the spacing of the times when every one
 * is the same, else NaN (and NaN for fewer than two points).
 */
export function scanCurve(curve: EquityCurve): { valid: boolean; evenSpacing: number } {
  const invalid = { valid: false, evenSpacing: Number.NaN };
  if (typeof curve !== 'object' || curve === null) return invalid;
  const { times, values } = curve;
  if (!isArrayLike(times) || !isArrayLike(values) || times.length !== values.length) {
    return invalid;
  }
  const n = times.length;
  let previous = Number.NaN;
  let spacing = Number.NaN;
  let even = true;
  for (let i = 0; i < n; i++) {
    const time = times[i];
    const value = values[i];
    if (typeof time !== 'number' || !Number.isFinite(time)) return invalid;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return invalid;
    if (i > 0) {
      if (time <= previous) return invalid;
      const gap = time - previous;
      if (i === 1) spacing = gap;
      else if (gap !== spacing) even = false;
    }
    previous = time;
  }
  return { valid: true, evenSpacing: even ? spacing : Number.NaN };
}

function isArrayLike(xs: unknown): xs is ArrayLike<number> {
  return (
    typeof xs === 'object' && xs !== null && typeof (xs as ArrayLike<number>).length === 'number'
  );
}

/**
 * Returns simple-statistics' `mean`: its compensated sum (the first element starts it) over the
 * count. NaN for no elements.
 */
export function compensatedMean(xs: Float64Array): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  let sum = xs[0]!;
  let correction = 0;
  for (let i = 1; i < n; i++) {
    const x = xs[i]!;
    const next = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) correction += sum - next + x;
    else correction += x - next + sum;
    sum = next;
  }
  return (sum + correction) / n;
}

/**
 * Returns `standardDeviationOf(returns)` given their mean: 0 when every return is the same,
 * else simple-statistics' sample standard deviation; `null` for fewer than two.
 */
export function deviationAround(returns: Float64Array, mean: number): number | null {
  const n = returns.length;
  if (n < 2) return null;
  const first = returns[0]!;
  let constant = true;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const r = returns[i]!;
    if (r !== first) constant = false;
    const difference = r - mean;
    squares += difference * difference;
  }
  return constant ? 0 : Math.sqrt(squares / (n - 1));
}

/** Returns `downsideDeviationOf(returns, target)`: `null` for no returns. */
export function downsideOf(returns: Float64Array, target: number): number | null {
  const n = returns.length;
  if (n === 0) return null;
  let sumOfSquares = 0;
  for (let i = 0; i < n; i++) {
    // min(r - target, 0), squared: a return at the target adds a zero either way.
    const shortfall = returns[i]! - target;
    if (shortfall < 0) sumOfSquares += shortfall * shortfall;
  }
  return Math.sqrt(sumOfSquares / n);
}

/** Returns the indices of the first highest and the first lowest of a non-empty series. */
export function extremesOf(xs: Float64Array): { highest: number; lowest: number } {
  let highest = 0;
  let lowest = 0;
  let high = xs[0]!;
  let low = high;
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    if (x > high) {
      highest = i;
      high = x;
    } else if (x < low) {
      lowest = i;
      low = x;
    }
  }
  return { highest, lowest };
}
