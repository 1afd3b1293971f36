import { ValidationError } from '@qtp/core';

/** The returns of several assets over the same periods: one series per asset, equal in length. */
export type AssetReturns = readonly ArrayLike<number>[];

/** Options of {@link ewmaCovariance}. */
export interface EwmaCovarianceOptions {
  /** The decay per period, in (0, 1): the weight of a return one period older; default 0.94. */
  readonly lambda?: number;
}

/** The result of {@link ledoitWolfCovariance}. */
export interface ShrunkCovariance {
  /** The shrunk covariance matrix. */
  readonly matrix: number[][];
  /** The weight of the target `mu * I` in the mix, in [0, 1]. */
  readonly shrinkage: number;
}

function checkReturns(returns: AssetReturns, minimum: number): { n: number; t: number } {
  const n = returns.length;
  if (n === 0) throw new ValidationError('returns', 'hold at least one asset', returns);
  const t = returns[0]!.length;
  if (t < minimum) {
    throw new ValidationError('returns[0].length', `be at least ${minimum}`, t);
  }
  returns.forEach((series, i) => {
    if (series.length !== t) {
      throw new ValidationError(
        `returns[${i}].length`,
        `equal returns[0].length ${t}`,
        series.length,
      );
    }
    for (let k = 0; k < t; k++) {
      if (!Number.isFinite(series[k]!)) {
        throw new ValidationError(`returns[${i}][${k}]`, 'be finite', series[k]);
      }
    }
  });
  return { n, t };
}

function means(returns: AssetReturns, t: number): number[] {
  return returns.map((series) => {
    let sum = 0;
    for (let k = 0; k < t; k++) sum += series[k]!;
    return sum / t;
  });
}

// Cross products of the centred series, symmetric by construction.
function crossProducts(
  returns: AssetReturns,
  centre: readonly number[],
  weightOf: (k: number) => number,
  t: number,
): number[][] {
  const n = returns.length;
  const out = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    const a = returns[i]!;
    for (let j = 0; j <= i; j++) {
      const b = returns[j]!;
      let sum = 0;
      for (let k = 0; k < t; k++) sum += weightOf(k) * (a[k]! - centre[i]!) * (b[k]! - centre[j]!);
      out[i]![j] = sum;
      out[j]![i] = sum;
    }
  }
  return out;
}

/**
 * Returns the sample covariance matrix of the assets' returns, with the divisor `T - 1` (as
 * numpy's `np.cov`).
 *
 * @param returns - one return series per asset, equal in length, at least 2 periods
 * @throws {@link @qtp/core!ValidationError} naming `returns[i]` for a short, uneven or non-finite series
 * @example
 * ```ts
 * import { sampleCovariance } from '@qtp/portfolio';
 * sampleCovariance([[0.01, -0.02, 0.03], [0.02, -0.01, 0.0]]);
 * // [[0.000633.., 0.000183..], [0.000183.., 0.000233..]]
 * ```
 */
export function sampleCovariance(returns: AssetReturns): number[][] {
  const { t } = checkReturns(returns, 2);
  const centre = means(returns, t);
  return crossProducts(returns, centre, () => 1, t).map((row) => row.map((v) => v / (t - 1)));
}

/**
 * Returns the exponentially weighted covariance matrix: the weight of the return `k` periods
 * before the last is proportional to `lambda ** k`, weights summing to 1, around the weighted
 * mean. This is pandas' `ewm(alpha = 1 - lambda, adjust = True).cov(bias = True)` at the last
 * period, RiskMetrics' estimator with `lambda = 0.94` for daily returns.
 *
 * @param returns - one return series per asset, equal in length, at least 1 period
 * @throws {@link @qtp/core!ValidationError} naming `lambda` outside (0, 1), or `returns[i]` for a bad series
 * @example
 * ```ts
 * import { ewmaCovariance } from '@qtp/portfolio';
 * ewmaCovariance([[0.01, -0.02, 0.03], [0.02, -0.01, 0.0]], { lambda: 0.9 });
 * ```
 */
export function ewmaCovariance(
  returns: AssetReturns,
  options: EwmaCovarianceOptions = {},
): number[][] {
  const lambda = options.lambda ?? 0.94;
  if (!(lambda > 0 && lambda < 1)) throw new ValidationError('lambda', 'be in (0, 1)', lambda);
  const { t } = checkReturns(returns, 1);
  const weights = new Float64Array(t);
  let total = 0;
  for (let k = t - 1, w = 1; k >= 0; k--, w *= lambda) {
    weights[k] = w;
    total += w;
  }
  for (let k = 0; k < t; k++) weights[k]! /= total;
  const centre = returns.map((series) => {
    let sum = 0;
    for (let k = 0; k < t; k++) sum += weights[k]! * series[k]!;
    return sum;
  });
  return crossProducts(returns, centre, (k) => weights[k]!, t);
}

/**
 * Returns the Ledoit-Wolf shrinkage estimate (Ledoit and Wolf 2004): the biased sample
 * covariance `S` (divisor `T`) mixed with the scaled identity `mu * I`, `mu = trace(S) / N`, in
 * the proportion that minimises the expected squared error. Better conditioned than the sample
 * covariance when there are few periods per asset. The same estimator as scikit-learn's
 * `LedoitWolf`.
 *
 * @param returns - one return series per asset, equal in length, at least 2 periods
 * @throws {@link @qtp/core!ValidationError} naming `returns[i]` for a short, uneven or non-finite series
 * @example
 * ```ts
 * import { ledoitWolfCovariance } from '@qtp/portfolio';
 * const { matrix, shrinkage } = ledoitWolfCovariance([[0.01, -0.02, 0.03], [0.02, -0.01, 0.0]]);
 * ```
 */
export function ledoitWolfCovariance(returns: AssetReturns): ShrunkCovariance {
  const { n, t } = checkReturns(returns, 2);
  const centre = means(returns, t);
  const s = crossProducts(returns, centre, () => 1, t).map((row) => row.map((v) => v / t));
  let trace = 0;
  for (let i = 0; i < n; i++) trace += s[i]![i]!;
  const mu = trace / n;
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) d2 += (s[i]![j]! - (i === j ? mu : 0)) ** 2;
  }
  d2 /= n;
  // b2: the mean squared distance of each period's outer product from S, over T^2.
  let b2Bar = 0;
  const x = new Float64Array(n);
  for (let k = 0; k < t; k++) {
    for (let i = 0; i < n; i++) x[i] = returns[i]![k]! - centre[i]!;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b2Bar += (x[i]! * x[j]! - s[i]![j]!) ** 2;
    }
  }
  b2Bar = b2Bar / n / (t * t);
  const shrinkage = d2 === 0 ? 1 : Math.min(b2Bar, d2) / d2;
  const matrix = s.map((row, i) =>
    row.map((v, j) => shrinkage * (i === j ? mu : 0) + (1 - shrinkage) * v),
  );
  return { matrix, shrinkage };
}
