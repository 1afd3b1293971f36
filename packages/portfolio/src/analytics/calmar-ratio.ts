import { maxDrawdown } from './drawdown.js';
import type { EquityCurve } from './equity-curve.js';
import { type CagrOptions, cagr } from './growth.js';

/**
 * Returns the Calmar ratio of an equity curve: its CAGR (see {@link cagr}, with the same year)
 * divided by its maximum drawdown (see {@link maxDrawdown}, a positive fraction), both over the
 * whole curve.
 *
 * Returns `null` when the CAGR is undefined (fewer than two points) or the curve never falls
 * below a previous peak (zero drawdown).
 *
 * @param curve - the equity curve
 * @param options - how a year is counted, as for {@link cagr}
 * @throws ValidationError when the curve or an option is invalid, or an option is unknown
 * @example
 * ```ts
 * import { calmarRatio } from '@qtp/portfolio';
 * const day = 86_400_000;
 * calmarRatio({ times: [0, 100 * day, 365 * day], values: [100, 80, 120] }); // 0.2 / 0.2 = 1
 * ```
 */
export function calmarRatio(curve: EquityCurve, options: CagrOptions = {}): number | null {
  const growth = cagr(curve, options);
  const deepest = maxDrawdown(curve.values);
  if (growth === null || deepest === 0) return null;
  return growth / deepest;
}
