import { checkConfidence, checkOptionKeys, checkPositive } from './validate.js';

/** Options every VaR and expected-shortfall measure takes. */
export interface VaROptions {
  /** The confidence level, strictly between 0 and 1, for example 0.99: the tail is 1 - confidence. */
  readonly confidence: number;
  /**
   * The horizon in periods of the returns, greater than 0 (default 1). The one-period figure is
   * scaled by the square root of the horizon (square-root-of-time scaling, which assumes
   * independent, identically distributed returns); the mean is not scaled separately.
   */
  readonly horizon?: number;
  /**
   * The portfolio value, greater than 0. When given, the measure is a money amount in the
   * portfolio's currency (the loss fraction times this value) instead of a fraction.
   */
  readonly portfolioValue?: number;
}

/** The checked figures of {@link VaROptions}. */
export interface CheckedVaROptions {
  /** The confidence level. */
  readonly confidence: number;
  /** The tail probability 1 - confidence. */
  readonly tail: number;
  /** The factor a one-period fraction is multiplied by: sqrt(horizon) times the value. */
  readonly scale: number;
}

export const VAR_OPTION_KEYS = ['confidence', 'horizon', 'portfolioValue'] as const;

/** Checks `options` (whose keys must all be in `known`) and returns the figures a measure uses. */
export function checkVaROptions(
  options: VaROptions,
  known: readonly string[] = VAR_OPTION_KEYS,
): CheckedVaROptions {
  checkOptionKeys(options, known);
  const confidence = checkConfidence(options.confidence);
  const horizon = checkPositive('horizon', options.horizon, 1);
  const value = checkPositive('portfolioValue', options.portfolioValue, 1);
  return { confidence, tail: 1 - confidence, scale: Math.sqrt(horizon) * value };
}
