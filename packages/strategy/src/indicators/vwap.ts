import type { Indicator } from './types.js';
import { checkFinite, checkLengths, checkPeriod, checkPositive, nanArray } from './validate.js';

/**
 * The rolling volume-weighted average price: `sum(price * volume) / sum(volume)` over the last
 * `period` inputs. Pass the close, or the typical price `(high + low + close) / 3`, as `price`.
 * A window without volume gives NaN.
 *
 * Follows TTR's `VWAP(price, volume, n)`. See {@link Indicator} for NaN inputs; for a VWAP that
 * restarts every session see {@link SessionVWAP}.
 *
 * @example
 * ```ts
 * import { VWAP } from '@qtp/strategy';
 * const vwap = new VWAP(2);
 * vwap.update(10, 100);
 * console.log(vwap.update(12, 300)); // 11.5
 * ```
 */
export class VWAP implements Indicator<[price: number, volume: number], number> {
  /** The number of inputs in the window. */
  readonly period: number;
  private readonly values: Float64Array;
  private readonly volumes: Float64Array;
  private next = 0;
  private count = 0;
  private turnover = 0;
  private volume = 0;
  private current = Number.NaN;
  private undoTurnover = 0;
  private undoVolume = 0;
  private undoOldValue = 0;
  private undoOldVolume = 0;

  /**
   * Creates a rolling VWAP.
   * @param period - the window length, an integer >= 1
   * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1
   */
  constructor(period: number) {
    this.period = checkPeriod('period', period);
    this.values = new Float64Array(period);
    this.volumes = new Float64Array(period);
  }

  /** Whether `period` inputs have been seen. */
  get isReady(): boolean {
    return this.count >= this.period;
  }

  /** The current VWAP, or `undefined` during warm-up. */
  get value(): number | undefined {
    return this.count >= this.period ? this.current : undefined;
  }

  /** Adds a price and its volume and returns the VWAP, or `undefined` during warm-up. */
  update(price: number, volume: number): number | undefined {
    const slot = this.next;
    const traded = price * volume;
    const oldValue = this.values[slot]!;
    const oldVolume = this.volumes[slot]!;
    this.undoTurnover = this.turnover;
    this.undoVolume = this.volume;
    this.undoOldValue = oldValue;
    this.undoOldVolume = oldVolume;
    this.values[slot] = traded;
    this.volumes[slot] = volume;
    this.next = slot + 1 === this.period ? 0 : slot + 1;
    this.turnover += traded - oldValue;
    this.volume += volume - oldVolume;
    if (++this.count < this.period) return undefined;
    this.current = this.turnover / this.volume;
    return this.current;
  }

  /** Revises the last input and returns the VWAP as if it had been added instead. */
  replace(price: number, volume: number): number | undefined {
    if (this.count === 0) return this.update(price, volume);
    const slot = this.next === 0 ? this.period - 1 : this.next - 1;
    this.values[slot] = this.undoOldValue;
    this.volumes[slot] = this.undoOldVolume;
    this.turnover = this.undoTurnover;
    this.volume = this.undoVolume;
    this.next = slot;
    this.count--;
    return this.update(price, volume);
  }

  /** Forgets every input. */
  reset(): void {
    this.values.fill(0);
    this.volumes.fill(0);
    this.next = 0;
    this.count = 0;
    this.turnover = 0;
    this.volume = 0;
    this.current = Number.NaN;
  }
}

/** Options of {@link SessionVWAP} and {@link sessionVwap}. */
export interface SessionVwapOptions {
  /** The session length in milliseconds. Defaults to one day, 86,400,000. */
  sessionMs?: number;
  /**
   * Where sessions start, in milliseconds after each multiple of `sessionMs` since the epoch.
   * Defaults to 0: with daily sessions, midnight UTC.
   */
  offsetMs?: number;
}

/**
 * The session VWAP: `sum(price * volume) / sum(volume)` since the start of the session that
 * `time` falls in. Sessions are the intervals `[offsetMs + k * sessionMs, offsetMs + (k + 1) *
 * sessionMs)` of epoch milliseconds, so by default each UTC day is one session. It is defined
 * from the first input; a session without volume so far gives NaN.
 *
 * TTR has only the rolling form ({@link VWAP}); the tests check this one against cumulative sums
 * per UTC day computed in R. See {@link Indicator} for NaN inputs; a NaN stays until the session
 * ends.
 *
 * @example
 * ```ts
 * import { SessionVWAP } from '@qtp/strategy';
 * const vwap = new SessionVWAP();
 * vwap.update(Date.UTC(2024, 0, 1, 9), 10, 100);
 * vwap.update(Date.UTC(2024, 0, 1, 10), 12, 300); // 11.5
 * console.log(vwap.update(Date.UTC(2024, 0, 2, 9), 20, 50)); // 20: a new day
 * ```
 */
export class SessionVWAP
  implements Indicator<[time: number, price: number, volume: number], number>
{
  /** The session length in milliseconds. */
  readonly sessionMs: number;
  /** The session start offset in milliseconds. */
  readonly offsetMs: number;
  private count = 0;
  private session = Number.NaN;
  private turnover = 0;
  private volume = 0;
  private current = Number.NaN;
  private undoSession = Number.NaN;
  private undoTurnover = 0;
  private undoVolume = 0;

  /**
   * Creates a session VWAP.
   * @param options - the session length and offset
   * @throws {@link @qtp/core!ValidationError} when `sessionMs` is not > 0 or `offsetMs` is not finite
   */
  constructor(options: SessionVwapOptions = {}) {
    this.sessionMs = checkPositive('sessionMs', options.sessionMs ?? 86_400_000);
    this.offsetMs = checkFinite('offsetMs', options.offsetMs ?? 0);
  }

  /** Whether an input has been seen. */
  get isReady(): boolean {
    return this.count > 0;
  }

  /** The current VWAP, or `undefined` before the first input. */
  get value(): number | undefined {
    return this.count > 0 ? this.current : undefined;
  }

  /** Adds a trade or bar at `time` (epoch milliseconds) and returns the session's VWAP. */
  update(time: number, price: number, volume: number): number {
    this.undoSession = this.session;
    this.undoTurnover = this.turnover;
    this.undoVolume = this.volume;
    this.count++;
    const session = Math.floor((time - this.offsetMs) / this.sessionMs);
    if (session !== this.session) {
      this.session = session;
      this.turnover = 0;
      this.volume = 0;
    }
    this.turnover += price * volume;
    this.volume += volume;
    this.current = this.turnover / this.volume;
    return this.current;
  }

  /** Revises the last input and returns the VWAP as if it had been added instead. */
  replace(time: number, price: number, volume: number): number {
    if (this.count > 0) {
      this.count--;
      this.session = this.undoSession;
      this.turnover = this.undoTurnover;
      this.volume = this.undoVolume;
    }
    return this.update(time, price, volume);
  }

  /** Forgets every input. */
  reset(): void {
    this.count = 0;
    this.session = Number.NaN;
    this.turnover = 0;
    this.volume = 0;
    this.current = Number.NaN;
  }
}

/**
 * Returns the rolling VWAP of the prices, NaN for the first `period - 1` entries. Computes the
 * same numbers as {@link VWAP}.
 *
 * @param price - the prices (closes or typical prices)
 * @param volume - the volumes, as many as the prices
 * @param period - the window length, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} when `period` is not an integer >= 1 or the lengths differ
 * @example
 * ```ts
 * import { vwap } from '@qtp/strategy';
 * vwap([10, 12, 11], [100, 300, 100], 2); // Float64Array [NaN, 11.5, 11.75]
 * ```
 */
export function vwap(
  price: ArrayLike<number>,
  volume: ArrayLike<number>,
  period: number,
): Float64Array {
  const n = checkLengths({ price, volume });
  const indicator = new VWAP(period);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) {
    const v = indicator.update(price[i]!, volume[i]!);
    if (v !== undefined) out[i] = v;
  }
  return out;
}

/**
 * Returns the session VWAP of the prices: cumulative within each session, restarting when `time`
 * enters a new one. Computes the same numbers as {@link SessionVWAP}.
 *
 * @param time - the epoch milliseconds of each input, ascending
 * @param price - the prices (closes or typical prices), as many as the times
 * @param volume - the volumes, as many as the times
 * @param options - the session length and offset; daily UTC sessions by default
 * @throws {@link @qtp/core!ValidationError} when an option is out of range or the lengths differ
 * @example
 * ```ts
 * import { sessionVwap } from '@qtp/strategy';
 * const day = 86_400_000;
 * sessionVwap([0, 1000, day], [10, 12, 20], [100, 300, 50]); // Float64Array [10, 11.5, 20]
 * ```
 */
export function sessionVwap(
  time: ArrayLike<number>,
  price: ArrayLike<number>,
  volume: ArrayLike<number>,
  options: SessionVwapOptions = {},
): Float64Array {
  const n = checkLengths({ time, price, volume });
  const indicator = new SessionVWAP(options);
  const out = nanArray(n);
  for (let i = 0; i < n; i++) out[i] = indicator.update(time[i]!, price[i]!, volume[i]!);
  return out;
}
