import type { EquityView } from './views.js';

/** Reads the engine's equity curve from a point on; `TradingEngine.equityCurve` is one. */
export type EquityCurveSource = (fromIndex: number) => {
  readonly times: readonly number[];
  readonly values: readonly number[];
};

/**
 * The equity curve as the dashboard draws it, kept up with the engine's curve by reading only
 * the points recorded since the last update, so a view costs the points that are new and never
 * a copy of the whole curve. It holds every `step`-th point and always the last one, at most
 * `maxPoints` + 1; `step` starts at 1 and doubles (dropping every other point held) whenever the
 * points held would pass `maxPoints`. The drawdown of each point is taken against the running
 * peak of the full curve, and the deepest drawdown is that of the full curve too.
 *
 * The engine's last point may still change (a later event of the same time replaces it), so it
 * is read again at every update and only counted into the peak once a newer point follows it.
 *
 * @example
 * ```ts
 * const history = new EquityHistory((from) => engine.equityCurve(from), 2000);
 * history.update();
 * console.log(history.view('USDT').maxDrawdown);
 * ```
 */
export class EquityHistory {
  #step = 1;
  // Points settled: every point before the engine's last, counted into the peak.
  #settled = 0;
  #peak = Number.NEGATIVE_INFINITY;
  #maxDrawdown = 0;
  readonly #times: number[] = [];
  readonly #equity: number[] = [];
  readonly #drawdown: number[] = [];
  // The engine's last point, not settled yet; NaN time while the curve is empty.
  #lastTime = Number.NaN;
  #lastValue = Number.NaN;
  #version = 0;
  #view: { readonly version: number; readonly view: EquityView } | undefined;

  /**
   * Creates an empty history of at most `maxPoints` + 1 points.
   * @throws `RangeError` when `maxPoints` is not an integer of at least 2
   */
  constructor(
    private readonly source: EquityCurveSource,
    readonly maxPoints: number,
  ) {
    if (!Number.isSafeInteger(maxPoints) || maxPoints < 2) {
      throw new RangeError(`maxPoints: must be an integer of at least 2, was ${maxPoints}`);
    }
  }

  /** Counts each change of what {@link view} returns; unchanged between two updates means equal views. */
  get version(): number {
    return this.#version;
  }

  /** The distance between two points held, in points of the engine's curve: a power of two. */
  get step(): number {
    return this.#step;
  }

  /** How many points are held before the last one. */
  get held(): number {
    return this.#times.length;
  }

  /**
   * Returns the points from index `from` of the view on (the last point always), for a reader
   * that holds the first `from` points already; the step must not have changed since it read
   * them. `recordedPoints` and `maxDrawdown` are those of the whole view.
   */
  viewFrom(currency: string, from: number): EquityView {
    const whole = this.view(currency);
    return {
      ...whole,
      times: whole.times.slice(from),
      equity: whole.equity.slice(from),
      drawdown: whole.drawdown.slice(from),
      from,
    };
  }

  /** Reads the points recorded since the last update, and the last point again. */
  update(): void {
    const hadLast = !Number.isNaN(this.#lastTime);
    const from = hadLast ? this.#settled : 0;
    const { times, values } = this.source(from);
    const count = values.length;
    if (count === 0) return;
    if (
      count === 1 &&
      hadLast &&
      times[0] === this.#lastTime &&
      Object.is(values[0], this.#lastValue)
    ) {
      return;
    }
    // The settling loop, with the state in locals: it runs once per point the engine recorded.
    let index = this.#settled;
    let peak = this.#peak;
    let maxDrawdown = this.#maxDrawdown;
    let nextHeld = Math.ceil(index / this.#step) * this.#step;
    for (let i = 0; i < count - 1; i++, index++) {
      const value = values[i]!;
      if (value > peak) peak = value;
      const down = peak > 0 ? 1 - value / peak : 0;
      if (down > maxDrawdown) maxDrawdown = down;
      if (index !== nextHeld) continue;
      this.#times.push(times[i]!);
      this.#equity.push(value);
      this.#drawdown.push(down);
      if (this.#times.length > this.maxPoints) this.#thin();
      // After thinning the step doubled and this point may have gone: the next multiple of it.
      nextHeld = (Math.floor(index / this.#step) + 1) * this.#step;
    }
    this.#settled = index;
    this.#peak = peak;
    this.#maxDrawdown = maxDrawdown;
    this.#lastTime = times[count - 1]!;
    this.#lastValue = values[count - 1]!;
    this.#version++;
  }

  /** Returns the points held and the last one, in `currency`. */
  view(currency: string): EquityView {
    const cached = this.#view;
    if (
      cached !== undefined &&
      cached.version === this.#version &&
      cached.view.currency === currency
    ) {
      return cached.view;
    }
    const times = this.#times.slice();
    const equity = this.#equity.slice();
    const drawdown = this.#drawdown.slice();
    let maxDrawdown = this.#maxDrawdown;
    let recordedPoints = this.#settled;
    if (!Number.isNaN(this.#lastTime)) {
      const value = this.#lastValue;
      const peak = Math.max(value, this.#peak);
      const down = peak > 0 ? 1 - value / peak : 0;
      if (down > maxDrawdown) maxDrawdown = down;
      times.push(this.#lastTime);
      equity.push(value);
      drawdown.push(down);
      recordedPoints++;
    }
    const view: EquityView = { currency, times, equity, drawdown, recordedPoints, maxDrawdown };
    this.#view = { version: this.#version, view };
    return view;
  }

  // Keeps the points at multiples of twice the step: the held points sit at multiples of the
  // step, from index 0, so those are every other one from the first.
  #thin(): void {
    this.#step *= 2;
    for (const series of [this.#times, this.#equity, this.#drawdown]) {
      let kept = 0;
      for (let i = 0; i < series.length; i += 2) series[kept++] = series[i]!;
      series.length = kept;
    }
  }
}
