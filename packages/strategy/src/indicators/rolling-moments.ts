// Internal: the rolling mean and variance behind StdDev, ZScore and BollingerBands.

/**
 * Keeps the mean and the sum of squared deviations (`m2`) of the last `period` values with
 * Welford's add/remove update. Unlike a running sum of squares it never subtracts two large,
 * nearly equal numbers, so it keeps its digits on prices far from zero. Rounding still drifts
 * slowly over millions of updates, so each time the ring wraps the window is re-measured in one
 * two-pass sweep: O(period) once per `period` updates, O(1) amortized.
 */
export class RollingMoments {
  readonly period: number;
  count = 0;
  mean = 0;
  m2 = 0;
  private readonly window: Float64Array;
  private next = 0;
  private undoMean = 0;
  private undoM2 = 0;
  private undoOld = 0;
  private undoCount = 0;

  constructor(period: number) {
    this.period = period;
    this.window = new Float64Array(period);
  }

  push(value: number): void {
    const slot = this.next;
    const old = this.window[slot]!;
    const mean = this.mean;
    this.undoMean = mean;
    this.undoM2 = this.m2;
    this.undoOld = old;
    this.window[slot] = value;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    const count = this.count;
    this.undoCount = count;
    if (count < this.period) {
      this.count = count + 1;
      const delta = value - mean;
      const next = mean + delta / (count + 1);
      this.mean = next;
      this.m2 += delta * (value - next);
    } else {
      const delta = value - old;
      const next = mean + delta / count;
      this.mean = next;
      this.m2 += delta * (value - next + old - mean);
      if (this.next === 0) this.remeasure(this.window, 0);
    }
  }

  /**
   * Sets mean and m2 from `values[start..start + period)` with {@link measureWindow}. The batch
   * functions call it on the input array where the ring would wrap, so both forms round alike.
   */
  remeasure(values: ArrayLike<number>, start: number): void {
    measureWindow(values, start, this.period, this);
  }

  /** Undoes the last push exactly. */
  pop(): void {
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.window[slot] = this.undoOld;
    this.next = slot;
    this.mean = this.undoMean;
    this.m2 = this.undoM2;
    this.count = this.undoCount;
  }

  /** Population variance of the window, never negative. */
  variance(): number {
    const v = this.m2 / this.count;
    return Math.max(v, 0);
  }

  /** Sample variance of the window (divisor `count - 1`), never negative. */
  sampleVariance(): number {
    const v = this.m2 / (this.count - 1);
    return Math.max(v, 0);
  }

  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }
}

/**
 * Sets `into.mean` and `into.m2` from `values[start..start + period)` in two passes (with the
 * first-order correction). A free function so that a class keeping its own moments (as
 * `BollingerBands` does) shares the exact same sweep without a second window.
 */
export function measureWindow(
  values: ArrayLike<number>,
  start: number,
  period: number,
  into: { mean: number; m2: number },
): void {
  const end = start + period;
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i]!;
  const mean = sum / period;
  let squares = 0;
  let residual = 0;
  for (let i = start; i < end; i++) {
    const d = values[i]! - mean;
    squares += d * d;
    residual += d;
  }
  into.mean = mean + residual / period;
  into.m2 = squares - (residual * residual) / period;
}
