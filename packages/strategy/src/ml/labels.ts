import { type BarSeries, ValidationError } from '@qtp/core';

function checkHorizon(horizon: number): number {
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new ValidationError('horizon', 'be an integer >= 1', horizon);
  }
  return horizon;
}

/** Options of {@link forwardReturns}. */
export interface ForwardReturnOptions {
  /** Log returns `log(x[t + h] / x[t])` instead of simple ones; default false. */
  readonly log?: boolean;
}

/**
 * Returns the forward return over `horizon` bars at each bar, `close[t + h] / close[t] - 1`,
 * NaN for the last `horizon` bars, which have no future that far. A label: it reads the future
 * by design, so it must never be used as a feature.
 *
 * @param close - the closes
 * @param horizon - the number of bars ahead, an integer >= 1
 * @throws {@link @qtp/core!ValidationError} naming `horizon` when it is not an integer >= 1
 * @example
 * ```ts
 * import { forwardReturns } from '@qtp/strategy/ml';
 * forwardReturns([100, 110, 99], 1); // Float64Array [0.1, -0.1, NaN]
 * ```
 */
export function forwardReturns(
  close: ArrayLike<number>,
  horizon: number,
  options: ForwardReturnOptions = {},
): Float64Array {
  checkHorizon(horizon);
  const n = close.length;
  const out = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + horizon < n; t++) {
    const ratio = close[t + horizon]! / close[t]!;
    out[t] = options.log ? Math.log(ratio) : ratio - 1;
  }
  return out;
}

/** Options of {@link tripleBarrierLabels}. */
export interface TripleBarrierOptions {
  /** The most bars to wait for a barrier: the vertical barrier. */
  readonly horizon: number;
  /** The upper barrier as a fraction above the entry close, such as 0.02; > 0. */
  readonly takeProfit: number;
  /** The lower barrier as a fraction below the entry close, such as 0.01; in (0, 1). */
  readonly stopLoss: number;
  /**
   * The label when the vertical barrier is reached first: `'zero'` (default) gives 0, `'sign'`
   * the sign of the return at the vertical barrier.
   */
  readonly vertical?: 'zero' | 'sign';
}

/** The labels of {@link tripleBarrierLabels}, one entry per bar. */
export interface TripleBarrierLabels {
  /** 1 when the upper barrier was touched first, -1 the lower, else the vertical label; NaN without enough future. */
  readonly labels: Float64Array;
  /** The index of the bar where the label was decided; -1 where the label is NaN. For purging. */
  readonly endIndex: Int32Array;
  /** The return from the entry close to the barrier price (or the close at the vertical barrier). */
  readonly returns: Float64Array;
}

/**
 * Returns triple-barrier labels (de Prado, Advances in Financial Machine Learning, 3.4): from the
 * close of bar `t`, the first of the bars `t + 1 .. t + horizon` whose high reaches
 * `close * (1 + takeProfit)` labels 1, whose low reaches `close * (1 - stopLoss)` labels -1; a bar
 * that reaches both counts as the stop, the cautious reading of a bar whose path is unknown. When
 * neither barrier is touched the vertical barrier decides. A bar without `horizon` bars after it
 * is labelled only if a barrier is touched within the bars there are.
 *
 * @throws {@link @qtp/core!ValidationError} naming `horizon`, `takeProfit` or `stopLoss` when out of range
 * @example
 * ```ts
 * import { BarSeries } from '@qtp/core';
 * import { tripleBarrierLabels } from '@qtp/strategy/ml';
 * declare const series: BarSeries;
 * const { labels, endIndex } = tripleBarrierLabels(series, { horizon: 12, takeProfit: 0.01, stopLoss: 0.01 });
 * ```
 */
export function tripleBarrierLabels(
  series: BarSeries,
  options: TripleBarrierOptions,
): TripleBarrierLabels {
  const horizon = checkHorizon(options.horizon);
  const { takeProfit, stopLoss } = options;
  if (!(takeProfit > 0 && Number.isFinite(takeProfit))) {
    throw new ValidationError('takeProfit', 'be a finite number greater than 0', takeProfit);
  }
  if (!(stopLoss > 0 && stopLoss < 1))
    throw new ValidationError('stopLoss', 'be in (0, 1)', stopLoss);
  const { high, low, close } = series;
  const n = series.length;
  const labels = new Float64Array(n).fill(Number.NaN);
  const endIndex = new Int32Array(n).fill(-1);
  const returns = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t < n; t++) {
    const entry = close[t]!;
    const upper = entry * (1 + takeProfit);
    const lower = entry * (1 - stopLoss);
    const last = Math.min(t + horizon, n - 1);
    for (let j = t + 1; j <= last; j++) {
      if (low[j]! <= lower) {
        labels[t] = -1;
        endIndex[t] = j;
        returns[t] = -stopLoss;
        break;
      }
      if (high[j]! >= upper) {
        labels[t] = 1;
        endIndex[t] = j;
        returns[t] = takeProfit;
        break;
      }
    }
    if (endIndex[t] === -1 && t + horizon < n) {
      const r = close[t + horizon]! / entry - 1;
      labels[t] = options.vertical === 'sign' ? Math.sign(r) : 0;
      endIndex[t] = t + horizon;
      returns[t] = r;
    }
  }
  return { labels, endIndex, returns };
}
