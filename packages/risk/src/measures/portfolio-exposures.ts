import { ValidationError } from '@qtp/core';
import type { AlignedReturns } from './aligned-returns.js';
import { checkConfidence, checkOptionKeys, checkPositive } from './validate.js';
import type { VaROptions } from './var-options.js';

/**
 * Options of the portfolio measures: those of every VaR, and the holdings, given as exactly one
 * of `weights` or `positions`.
 */
export interface PortfolioVaROptions extends VaROptions {
  /**
   * Fractions of the portfolio's value held in each asset (negative for a short); assets left
   * out hold nothing. The measure is a fraction of the portfolio's value, or a money amount
   * when `portfolioValue` is given.
   */
  readonly weights?: Readonly<Record<string, number>>;
  /**
   * Quantities held of each asset (negative for a short); assets left out hold nothing. Each
   * exposure is the quantity times the asset's last shared price, and the measure is a money
   * amount in the prices' currency; `portfolioValue` does not apply.
   */
  readonly positions?: Readonly<Record<string, number>>;
}

/** The checked holdings and figures of {@link PortfolioVaROptions}. */
export interface CheckedPortfolio {
  /** Per asset of the aligned returns, the weight or the money exposure. */
  readonly exposures: Float64Array;
  /** The tail probability 1 - confidence. */
  readonly tail: number;
  /** sqrt(horizon) times the portfolio value (1 when absent or when positions are given). */
  readonly scale: number;
}

export const PORTFOLIO_OPTION_KEYS = [
  'confidence',
  'horizon',
  'portfolioValue',
  'weights',
  'positions',
] as const;

/** Checks the data and options of a portfolio measure and returns the exposure vector. */
export function checkPortfolio(
  data: AlignedReturns,
  options: PortfolioVaROptions,
  known: readonly string[] = PORTFOLIO_OPTION_KEYS,
): CheckedPortfolio {
  checkOptionKeys(options, known);
  if (typeof data !== 'object' || data === null || !Array.isArray(data.assets)) {
    throw new ValidationError('data', 'be aligned returns from alignReturns', data);
  }
  const confidence = checkConfidence(options.confidence);
  const horizon = checkPositive('horizon', options.horizon, 1);
  const { weights, positions } = options;
  if ((weights === undefined) === (positions === undefined)) {
    throw new ValidationError(
      'weights',
      'be given, or positions be given, but not both',
      weights === undefined ? 'neither' : 'both',
    );
  }
  if (positions !== undefined && options.portfolioValue !== undefined) {
    throw new ValidationError(
      'portfolioValue',
      'be left out with positions, which are valued at their prices',
      options.portfolioValue,
    );
  }
  const value = checkPositive('portfolioValue', options.portfolioValue, 1);
  const field = weights === undefined ? 'positions' : 'weights';
  const holdings = (weights ?? positions) as Readonly<Record<string, number>>;
  if (typeof holdings !== 'object' || holdings === null) {
    throw new ValidationError(field, 'be an object of numbers by asset', holdings);
  }
  const exposures = new Float64Array(data.assets.length);
  for (const [asset, amount] of Object.entries(holdings)) {
    const index = data.assets.indexOf(asset);
    if (index < 0) {
      throw new ValidationError(
        `${field}.${asset}`,
        `name an asset of the returns (${data.assets.join(', ')})`,
        amount,
      );
    }
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      throw new ValidationError(`${field}.${asset}`, 'be a finite number', amount);
    }
    exposures[index] = weights === undefined ? amount * data.lastPrices[index]! : amount;
  }
  if (data.returns[0] === undefined || data.returns[0].length < 2) {
    throw new ValidationError('data.returns', 'have at least 2 points', data.returns[0]?.length);
  }
  return { exposures, tail: 1 - confidence, scale: Math.sqrt(horizon) * value };
}

/** Returns the per-period portfolio series: the exposures times each period's asset returns. */
export function weightedSeries(
  returns: readonly Float64Array[],
  exposures: Float64Array,
): Float64Array {
  const n = returns[0]!.length;
  const series = new Float64Array(n);
  for (let a = 0; a < returns.length; a++) {
    const column = returns[a]!;
    const exposure = exposures[a]!;
    if (exposure === 0) continue;
    for (let t = 0; t < n; t++) series[t] = series[t]! + exposure * column[t]!;
  }
  return series;
}
