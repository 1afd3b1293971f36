import { emaInto } from './ema.js';
import type { Indicator } from './types.js';
import { checkFastSlow, checkPeriod, nanArray } from './validate.js';

/** One reading of {@link MACD}. */
export interface MacdValue {
  /** The MACD line: fast EMA minus slow EMA, in price units. */
  macd: number;
  /** The signal line: an EMA of the MACD line. */
  signal: number;
  /** The MACD line minus the signal line. */
  histogram: number;
}

/** The three series {@link macd} returns, each as long as the input. */
export interface MacdResult {
  /** The MACD line, NaN for the first `slow - 1` entries. */
  macd: Float64Array;
  /** The signal line, NaN for the first `slow + signal - 2` entries. */
  signal: Float64Array;
  /** The MACD line minus the signal line, NaN where the signal is. */
  histogram: Float64Array;
}

/**
 * Moving average convergence/divergence: the fast {@link EMA} minus the slow one, a signal EMA of
 * that difference and the histogram between them. Each EMA is seeded with the simple average of
 * its first inputs, so the MACD line starts at input `slow` and the reading is complete at input
 * `slow + signal - 1`.
 *
 * Follows TTR's `MACD(x, nFast, nSlow, nSig, maType = "EMA", percent = FALSE)`; TTR's default
 * `percent = TRUE` would give `100 * (fast / slow - 1)` instead. See {@link Indicator} for NaN
 * inputs.
 *
 * `update` returns the same object each time, overwritten by the next call: copy the fields to
 * keep them.
 *
 * @example
 * ```ts
 * import { MACD } from '@qtp/strategy';
 * const macd = new MACD(12, 26, 9);
 * for (let i = 0; i < 40; i++) macd.update(100 + i);
 * console.log(macd.value?.histogram); // about 0 on a straight line
 * ```
 */
export class MACD implements Indicator<[value: number], MacdValue> {
  /** The fast EMA period. */
  readonly fastPeriod: number;
  /** The slow EMA period. */
  readonly slowPeriod: number;
  /** The signal EMA period. */
  readonly signalPeriod: number;
  private readonly fastAlpha: number;
  private readonly slowAlpha: number;
  private readonly signalAlpha: number;
  private readonly result: MacdValue = {
    macd: Number.NaN,
    signal: Number.NaN,
    histogram: Number.NaN,
  };
  // Three EMAs kept inline rather than as EMA objects: the same operations as EMA.update (and as
  // the batch function), without three calls and three undefined checks per update.
  private count = 0;
  private fast = 0;
  private slow = 0;
  private signal = 0;
  private undoFast = 0;
  private undoSlow = 0;
  private undoSignal = 0;

  /**
   * Creates a MACD.
   * @param fast - the fast EMA period, an integer >= 1 and below `slow`
   * @param slow - the slow EMA period, an integer >= 1
   * @param signal - the signal EMA period, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when a period is not an integer >= 1 or `fast >= slow`
   */
  constructor(fast: number, slow: number, signal: number) {
    checkPeriod('fast', fast);
    checkPeriod('slow', slow);
    checkPeriod('signal', signal);
    checkFastSlow(fast, slow);
    this.fastPeriod = fast;
    this.slowPeriod = slow;
    this.signalPeriod = signal;
    this.fastAlpha = 2 / (fast + 1);
    this.slowAlpha = 2 / (slow + 1);
    this.signalAlpha = 2 / (signal + 1);
  }

  /** Whether the signal line is defined (from input `slow + signal - 1` on). */
  get isReady(): boolean {
    return this.count >= this.slowPeriod + this.signalPeriod - 1;
  }

  /** The current reading (the shared result object), or `undefined` during warm-up. */
  get value(): MacdValue | undefined {
    return this.isReady ? this.result : undefined;
  }

  /** Adds a value and returns the reading, or `undefined` during warm-up. */
  update(value: number): MacdValue | undefined {
    const count = ++this.count;
    let fast = this.fast;
    let slow = this.slow;
    let signal = this.signal;
    this.undoFast = fast;
    this.undoSlow = slow;
    this.undoSignal = signal;
    const fastPeriod = this.fastPeriod;
    const slowPeriod = this.slowPeriod;
    // During warm-up each average holds the running sum of its seed.
    if (count > fastPeriod) fast = this.fastAlpha * value + (1 - this.fastAlpha) * fast;
    else {
      fast = fast + value;
      if (count === fastPeriod) fast /= fastPeriod;
    }
    this.fast = fast;
    if (count > slowPeriod) slow = this.slowAlpha * value + (1 - this.slowAlpha) * slow;
    else {
      slow = slow + value;
      this.slow = slow;
      if (count < slowPeriod) return undefined;
      slow /= slowPeriod;
    }
    this.slow = slow;
    const line = fast - slow;
    const lines = count - slowPeriod + 1;
    const signalPeriod = this.signalPeriod;
    if (lines > signalPeriod) signal = this.signalAlpha * line + (1 - this.signalAlpha) * signal;
    else {
      signal = signal + line;
      this.signal = signal;
      if (lines < signalPeriod) return undefined;
      signal /= signalPeriod;
    }
    this.signal = signal;
    const result = this.result;
    result.macd = line;
    result.signal = signal;
    result.histogram = line - signal;
    return result;
  }

  /** Revises the last value and returns the reading as if it had been added instead. */
  replace(value: number): MacdValue | undefined {
    if (this.count > 0) {
      this.count--;
      this.fast = this.undoFast;
      this.slow = this.undoSlow;
      this.signal = this.undoSignal;
    }
    return this.update(value);
  }

  /** Forgets every value. */
  reset(): void {
    this.count = 0;
    this.fast = 0;
    this.slow = 0;
    this.signal = 0;
  }
}

/**
 * Returns the MACD line, signal line and histogram of `values`, with NaN during each line's
 * warm-up. Computes the same numbers as {@link MACD}, on the same {@link EMA}.
 *
 * @param values - the input series, a plain or typed array
 * @param fast - the fast EMA period, an integer >= 1 and below `slow`
 * @param slow - the slow EMA period, an integer >= 1
 * @param signal - the signal EMA period, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when a period is not an integer >= 1 or `fast >= slow`
 * @example
 * ```ts
 * import { macd } from '@qtp/strategy';
 * const closes = Array.from({ length: 50 }, (_, i) => 100 + Math.sin(i / 5));
 * const { macd: line, signal, histogram } = macd(closes, 12, 26, 9);
 * console.log(line[25], signal[33], histogram[33]);
 * ```
 */
export function macd(
  values: ArrayLike<number>,
  fast: number,
  slow: number,
  signal: number,
): MacdResult {
  checkPeriod('fast', fast);
  checkPeriod('slow', slow);
  checkPeriod('signal', signal);
  checkFastSlow(fast, slow);
  const n = values.length;
  const fastLine = nanArray(n);
  const line = nanArray(n);
  const signalLine = nanArray(n);
  const histogram = nanArray(n);
  emaInto(values, 0, fast, 2 / (fast + 1), fastLine);
  emaInto(values, 0, slow, 2 / (slow + 1), line);
  for (let i = slow - 1; i < n; i++) line[i] = fastLine[i]! - line[i]!;
  emaInto(line, slow - 1, signal, 2 / (signal + 1), signalLine);
  for (let i = slow + signal - 2; i < n; i++) histogram[i] = line[i]! - signalLine[i]!;
  return { macd: line, signal: signalLine, histogram };
}
