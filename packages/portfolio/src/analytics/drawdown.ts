import type { EquityCurve } from './equity-curve.js';
import { checkEquityCurve, checkEquityValues } from './validate.js';

/**
 * One drawdown: a run of observations below the running peak, from the peak it fell from to the
 * first observation back at or above that peak.
 */
export interface DrawdownPeriod {
  /** The last time the equity stood at its running peak before falling, epoch milliseconds. */
  readonly peakTime: number;
  /** The time of the lowest value in the run (the first, if it repeats), epoch milliseconds. */
  readonly troughTime: number;
  /**
   * The first time the equity was back at or above the peak, epoch milliseconds, or `null` when
   * the curve ends before it recovers.
   */
  readonly recoveryTime: number | null;
  /** How far the equity fell, as a positive fraction of the peak: 1 - trough / peak. */
  readonly depth: number;
  /** From the peak to the recovery, or to the last observation when unrecovered, in milliseconds. */
  readonly durationMs: number;
  /**
   * The same span in periods: the number of observations after the peak up to and including the
   * recovery (or the last observation when unrecovered).
   */
  readonly durationPeriods: number;
}

/**
 * Returns the drawdown at each observation as a positive fraction of the running peak:
 * 1 - value / max(values[0..i]). It is 0 at a new peak and below 1 while equity is positive.
 *
 * @param values - equity values, finite and positive
 * @throws ValidationError when a value is not finite or not positive
 * @example
 * ```ts
 * import { drawdownSeries } from '@qtp/portfolio';
 * drawdownSeries([100, 120, 90, 130]); // Float64Array [0, 0, 0.25, 0]
 * ```
 */
export function drawdownSeries(values: ArrayLike<number>): Float64Array {
  checkEquityValues(values);
  return drawdownsOf(values);
}

/** {@link drawdownSeries} of values already checked. */
export function drawdownsOf(values: ArrayLike<number>): Float64Array {
  const drawdowns = new Float64Array(values.length);
  let peak = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value > peak) peak = value;
    drawdowns[i] = 1 - value / peak;
  }
  return drawdowns;
}

/**
 * Returns the maximum drawdown: the largest fall from a running peak, as a positive fraction of
 * that peak (0.25 is a 25 % fall, printed as 25 %, never as -25 %). Every drawdown figure of this
 * package follows that sign convention. Returns 0 when the equity never falls below a previous peak,
 * including for an empty curve.
 *
 * @param values - equity values, finite and positive
 * @throws ValidationError when a value is not finite or not positive
 * @example
 * ```ts
 * import { maxDrawdown } from '@qtp/portfolio';
 * maxDrawdown([100, 120, 90, 130, 110]); // 0.25
 * ```
 */
export function maxDrawdown(values: ArrayLike<number>): number {
  return deepestOf(drawdownSeries(values));
}

/** Returns the largest of a drawdown series, 0 for an empty one. */
export function deepestOf(drawdowns: Float64Array): number {
  let deepest = 0;
  // Indexed: an iterator allocates a result per element when this runs only once, unoptimized.
  for (let i = 0; i < drawdowns.length; i++) if (drawdowns[i]! > deepest) deepest = drawdowns[i]!;
  return deepest;
}

/**
 * Returns every drawdown of an equity curve in time order (see {@link DrawdownPeriod}); the last
 * one has a `null` recovery time when the curve ends below its peak.
 *
 * @param curve - the equity curve
 * @throws ValidationError when the curve is invalid (see {@link EquityCurve})
 * @example
 * ```ts
 * import { drawdownPeriods } from '@qtp/portfolio';
 * drawdownPeriods({ times: [0, 1, 2, 3, 4], values: [100, 90, 100, 95, 97] });
 * // [{ peakTime: 0, troughTime: 1, recoveryTime: 2, depth: ≈0.1, durationMs: 2, durationPeriods: 2 },
 * //  { peakTime: 2, troughTime: 3, recoveryTime: null, depth: ≈0.05, durationMs: 2, durationPeriods: 2 }]
 * ```
 */
export function drawdownPeriods(curve: EquityCurve): DrawdownPeriod[] {
  checkEquityCurve(curve);
  return periodsOf(curve.times, drawdownsOf(curve.values));
}

/** {@link drawdownPeriods} from a checked curve's times and its drawdown series. */
export function periodsOf(times: ArrayLike<number>, drawdowns: Float64Array): DrawdownPeriod[] {
  const periods: DrawdownPeriod[] = [];
  let i = 0;
  while (i < drawdowns.length) {
    if (drawdowns[i] === 0) {
      i++;
      continue;
    }
    // The first observation is always at its own peak, so a run never starts at index 0.
    const peak = i - 1;
    const peakTime = times[peak]!;
    let trough = i;
    while (i < drawdowns.length && drawdowns[i]! > 0) {
      if (drawdowns[i]! > drawdowns[trough]!) trough = i;
      i++;
    }
    const recoveryTime = i < drawdowns.length ? times[i]! : null;
    const endIndex = i < drawdowns.length ? i : drawdowns.length - 1;
    periods.push({
      peakTime,
      troughTime: times[trough]!,
      recoveryTime,
      depth: drawdowns[trough]!,
      durationMs: (recoveryTime ?? times[times.length - 1]!) - peakTime,
      durationPeriods: endIndex - peak,
    });
  }
  return periods;
}

/**
 * Returns the deepest drawdown of an equity curve (the first, when two are equally deep), or
 * `null` when the equity never falls below a previous peak. Its `durationMs` is the duration of
 * the maximum drawdown.
 *
 * @param curve - the equity curve
 * @throws ValidationError when the curve is invalid (see {@link EquityCurve})
 * @example
 * ```ts
 * import { maxDrawdownPeriod } from '@qtp/portfolio';
 * maxDrawdownPeriod({ times: [0, 1, 2, 3], values: [100, 80, 110, 100] });
 * // { peakTime: 0, troughTime: 1, recoveryTime: 2, depth: ≈0.2, durationMs: 2, durationPeriods: 2 }
 * ```
 */
export function maxDrawdownPeriod(curve: EquityCurve): DrawdownPeriod | null {
  return deepestPeriodOf(drawdownPeriods(curve));
}

/** Returns the deepest of a list of drawdowns (the first, when tied), or `null` for none. */
export function deepestPeriodOf(periods: readonly DrawdownPeriod[]): DrawdownPeriod | null {
  let deepest: DrawdownPeriod | null = null;
  for (const period of periods) {
    if (deepest === null || period.depth > deepest.depth) deepest = period;
  }
  return deepest;
}
