import type { AlignedReturns } from './aligned-returns.js';
import { checkPortfolio, type PortfolioVaROptions } from './portfolio-exposures.js';
import { parametricFigures } from './portfolio-var.js';

/** One asset's share of a portfolio's parametric VaR. */
export interface VaRContribution {
  /** The asset. */
  readonly asset: string;
  /** Its weight, or its money exposure (quantity times last shared price) with positions. */
  readonly exposure: number;
  /** The change of the VaR per unit of exposure: d VaR / d exposure. */
  readonly marginalVaR: number;
  /** Exposure times marginal VaR: the asset's part of the total, in the total's unit. */
  readonly componentVaR: number;
  /** The component as a fraction of the total VaR (NaN when the total is 0). */
  readonly share: number;
}

/** The parametric VaR of a portfolio split by asset. */
export interface ComponentVaRResult {
  /** The portfolio's parametric VaR, as {@link portfolioParametricVaR} gives it. */
  readonly total: number;
  /** Per asset, in the order of the aligned returns, its marginal and component VaR. */
  readonly contributions: readonly VaRContribution[];
}

/**
 * Returns a portfolio's parametric VaR split into marginal and component VaR per asset. The
 * marginal VaR of asset i is the derivative of -(wᵀμ + z sqrt(wᵀΣw)) with respect to its
 * exposure, -(μᵢ + z (Σw)ᵢ / sqrt(wᵀΣw)); its component is exposure times marginal. The VaR is
 * homogeneous of degree one in the exposures, so the components sum to the total (Euler). Scaled
 * like the total by the square root of `horizon` and, with weights, the portfolio value.
 *
 * @param data - aligned returns from {@link alignReturns}
 * @param options - the confidence, exactly one of `weights` or `positions`, and optionally the
 *   horizon and (with weights) the portfolio value
 * @throws ValidationError when an option is missing, unknown or out of range
 * @example
 * ```ts
 * import { alignReturns, componentVaR } from '@qtp/risk';
 * const data = alignReturns({
 *   BTC: { times: [1, 2, 3, 4, 5], prices: [100, 98, 99, 95, 97] },
 *   ETH: { times: [1, 2, 3, 4, 5], prices: [10, 9.5, 9.8, 9.6, 10] },
 * });
 * const { total, contributions } = componentVaR(data, {
 *   confidence: 0.99,
 *   weights: { BTC: 0.7, ETH: 0.3 },
 * });
 * contributions.reduce((sum, c) => sum + c.componentVaR, 0); // equals total
 * ```
 */
export function componentVaR(
  data: AlignedReturns,
  options: PortfolioVaROptions,
): ComponentVaRResult {
  const checked = checkPortfolio(data, options);
  const { total, marginal } = parametricFigures(data, checked);
  const contributions = data.assets.map((asset, i) => {
    const exposure = checked.exposures[i]!;
    const marginalVaR = marginal[i]!;
    const component = exposure * marginalVaR;
    return {
      asset,
      exposure,
      marginalVaR,
      componentVaR: component,
      share: total === 0 ? Number.NaN : component / total,
    };
  });
  return { total, contributions };
}
