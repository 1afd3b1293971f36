import type { Indicator } from './types.js';
import { checkLengths, checkPeriod, nanArray } from './validate.js';

/**
 * The money flow index, a volume-weighted RSI on a 0..100 scale. Each bar's money flow is
 * `tp * volume` with `tp = (high + low + close) / 3`; it counts as positive when `tp` rose from
 * the previous bar, negative when it fell, and not at all when unchanged. Then
 * `MFI = 100 - 100 / (1 + positive / negative)` over the last `period` flows, so the first value
 * comes at bar `period + 1`. With no negative flow it is 100, with no flow at all 50.
 *
 * Follows TTR's `MFI(HLC, volume, n)`, including the 100 and 50 cases. The window counts its
 * positive and negative bars, so an empty side is exactly zero rather than the rounding left
 * over by a running sum. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { MFI } from '@qtp/strategy';
 * const mfi = new MFI(2);
 * mfi.update(11, 9, 10, 100);
 * mfi.update(12, 10, 11, 100); // positive flow 1100
 * console.log(mfi.update(11, 9, 10, 100)); // 52.38095238095238: negative flow 1000
 * ```
 */
export class MFI
  implements Indicator<[high: number, low: number, close: number, volume: number], number>
{
  /** The number of flows summed. */
  readonly period: number;
  // Signed flows: positive above zero, negative below, unchanged as 0.
  private readonly window: Float64Array;
  private next = 0;
  private count = 0;
  private previous = 0;
  private positive = 0;
  private negative = 0;
  private positiveBars = 0;
  private negativeBars = 0;
  private current = Number.NaN;
  private undoPrevious = 0;
  private undoPositive = 0;
  private undoNegative = 0;
  private undoPositiveBars = 0;
  private undoNegativeBars = 0;
  private undoOld = 0;

  /**
   * Creates an MFI.
   * @param period - the number of flows summed, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.window = new Float64Array(period);
  }

  /** Whether `period + 1` bars have been seen. */
  get isReady(): boolean {
    return this.count > this.period;
  }

  /** The current MFI, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count > this.period ? this.current : undefined;
  }

  /** Adds a bar and returns the MFI, or `undefined` during warm-up. */
  update(high: number, low: number, close: number, volume: number): number | undefined {
    const tp = (high + low + close) / 3;
    const previous = this.previous;
    this.undoPrevious = previous;
    this.previous = tp;
    if (this.count++ === 0) return undefined;
    const flow = tp > previous ? tp * volume : tp < previous ? -tp * volume : 0;
    const slot = this.next;
    const old = this.window[slot]!;
    this.undoOld = old;
    this.undoPositive = this.positive;
    this.undoNegative = this.negative;
    this.undoPositiveBars = this.positiveBars;
    this.undoNegativeBars = this.negativeBars;
    this.window[slot] = flow;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    if (old > 0) {
      this.positive -= old;
      if (--this.positiveBars === 0) this.positive = 0;
    } else if (old < 0) {
      this.negative += old;
      if (--this.negativeBars === 0) this.negative = 0;
    }
    if (flow > 0) {
      this.positive += flow;
      this.positiveBars++;
    } else if (flow < 0) {
      this.negative -= flow;
      this.negativeBars++;
    }
    if (this.count <= this.period) return undefined;
    const positive = this.positive;
    const negative = this.negative;
    if (this.negativeBars === 0) this.current = this.positiveBars === 0 ? 50 : 100;
    else this.current = 100 - 100 / (1 + positive / negative);
    return this.current;
  }

  /** Revises the last bar and returns the MFI as if it had been added instead. */
  replace(high: number, low: number, close: number, volume: number): number | undefined {
    if (this.count === 0) return this.update(high, low, close, volume);
    this.count--;
    this.previous = this.undoPrevious;
    if (this.count > 0) {
      const slot = this.next === 0 ? this.period - 1 : this.next - 1;
      this.window[slot] = this.undoOld;
      this.next = slot;
      this.positive = this.undoPositive;
      this.negative = this.undoNegative;
      this.positiveBars = this.undoPositiveBars;
      this.negativeBars = this.undoNegativeBars;
    }
    return this.update(high, low, close, volume);
  }

  /** Forgets every bar. */
  reset(): void {
    this.window.fill(0);
    this.next = 0;
    this.count = 0;
    this.previous = 0;
    this.positive = 0;
    this.negative = 0;
    this.positiveBars = 0;
    this.negativeBars = 0;
    this.current = Number.NaN;
  }
}

/**
 * Chaikin money flow: `sum(clv * volume) / sum(volume)` over the last `period` bars, where the
 * close location value `clv = ((close - low) - (high - close)) / (high - low)` runs from -1 (close
 * at the low) to 1 (close at the high). A bar whose high equals its low contributes 0; a window
 * without volume gives 0.
 *
 * Follows TTR's `CMF(HLC, volume, n)` (and its `CLV`, which also maps a zero range to 0); where
 * the window has no volume TTR returns NaN. See {@link Indicator} for NaN inputs.
 *
 * @example
 * ```ts
 * import { CMF } from '@qtp/strategy';
 * const cmf = new CMF(2);
 * cmf.update(12, 8, 11, 100); // clv 0.5
 * console.log(cmf.update(10, 10, 10, 300)); // 0.125: the flat bar adds volume only
 * ```
 */
export class CMF
  implements Indicator<[high: number, low: number, close: number, volume: number], number>
{
  /** The number of bars summed. */
  readonly period: number;
  private readonly flows: Float64Array;
  private readonly volumes: Float64Array;
  private next = 0;
  private count = 0;
  private flow = 0;
  private volume = 0;
  private current = Number.NaN;
  private undoFlow = 0;
  private undoVolume = 0;
  private undoOldFlow = 0;
  private undoOldVolume = 0;

  /**
   * Creates a CMF.
   * @param period - the number of bars summed, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.flows = new Float64Array(period);
    this.volumes = new Float64Array(period);
  }

  /** Whether `period` bars have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current CMF, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** Adds a bar and returns the CMF, or `undefined` during warm-up. */
  update(high: number, low: number, close: number, volume: number): number | undefined {
    const range = high - low;
    const flow = range === 0 ? 0 : ((close - low - (high - close)) / range) * volume;
    const slot = this.next;
    const oldFlow = this.flows[slot]!;
    const oldVolume = this.volumes[slot]!;
    this.undoFlow = this.flow;
    this.undoVolume = this.volume;
    this.undoOldFlow = oldFlow;
    this.undoOldVolume = oldVolume;
    this.flows[slot] = flow;
    this.volumes[slot] = volume;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    this.flow += flow - oldFlow;
    this.volume += volume - oldVolume;
    if (++this.count < this.period) return undefined;
    this.current = this.volume !== 0 ? this.flow / this.volume : 0;
    return this.current;
  }

  /** Revises the last bar and returns the CMF as if it had been added instead. */
  replace(high: number, low: number, close: number, volume: number): number | undefined {
    if (this.count === 0) return this.update(high, low, close, volume);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.flows[slot] = this.undoOldFlow;
    this.volumes[slot] = this.undoOldVolume;
    this.flow = this.undoFlow;
    this.volume = this.undoVolume;
    this.next = slot;
    this.count--;
    return this.update(high, low, close, volume);
  }

  /** Forgets every bar. */
  reset(): void {
    this.flows.fill(0);
    this.volumes.fill(0);
    this.next = 0;
    this.count = 0;
    this.flow = 0;
    this.volume = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the money flow index of the bars, NaN for the first `period` entries. Computes the same
 * numbers as {@link MFI}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param volume - the volumes, as many as the highs
 * @param period - the number of flows summed, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { mfi } from '@qtp/strategy';
 * mfi([11, 12, 11], [9, 10, 9], [10, 11, 10], [100, 100, 100], 2); // Float64Array [NaN, NaN, 52.38095238095238]
 * ```
 */
export function mfi(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = checkLengths({ high, low, close, volume });
  const indicator = new MFI(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!, volume[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

/**
 * Returns the Chaikin money flow of the bars, NaN for the first `period - 1` entries. Computes
 * the same numbers as {@link CMF}.
 *
 * @param high - the highs
 * @param low - the lows, as many as the highs
 * @param close - the closes, as many as the highs
 * @param volume - the volumes, as many as the highs
 * @param period - the number of bars summed, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { cmf } from '@qtp/strategy';
 * cmf([12, 10], [8, 10], [11, 10], [100, 300], 2); // Float64Array [NaN, 0.125]
 * ```
 */
export function cmf(
  high: ArrayLike<number>,
  low: ArrayLike<number>,
  close: ArrayLike<number>,
  volume: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = checkLengths({ high, low, close, volume });
  const indicator = new CMF(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(high[i]!, low[i]!, close[i]!, volume[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}
