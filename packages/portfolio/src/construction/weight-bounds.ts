import { ValidationError } from '@qtp/core';
import type { LinearConstraint } from './quadratic-program.js';

/** Limits on each asset's weight, shared by the constructions that take bounds. */
export interface WeightBoundsOptions {
  /**
   * Whether every weight must be 0 or more; default `true`. With `false` and no `lower`,
   * weights may be any negative number (short positions).
   */
  readonly longOnly?: boolean;
  /** The least weight of each asset: one number for all, or one per asset. Overrides `longOnly`'s 0. */
  readonly lower?: number | readonly number[];
  /** The greatest weight of each asset: one number for all, or one per asset; default none. */
  readonly upper?: number | readonly number[];
}

/** Per-asset bounds resolved from {@link WeightBoundsOptions}, infinities where there is none. */
export interface ResolvedBounds {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
}

function expand(value: number | readonly number[], n: number, field: string): number[] {
  const list = typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
  if (list.length !== n) {
    throw new ValidationError(`${field}.length`, `equal the number of assets ${n}`, list.length);
  }
  list.forEach((v, i) => {
    if (Number.isNaN(v)) throw new ValidationError(`${field}[${i}]`, 'be a number', v);
  });
  return list;
}

/**
 * Resolves and checks the bounds of `n` weights that sum to 1.
 * @throws {@link @qtp/core!ValidationError} naming `lower[i]` or `upper[i]` when a lower bound
 *   exceeds its upper one, or `lower`/`upper` when no weights summing to 1 fit within them
 */
export function resolveBounds(options: WeightBoundsOptions, n: number): ResolvedBounds {
  const longOnly = options.longOnly ?? true;
  const lower = expand(options.lower ?? (longOnly ? 0 : Number.NEGATIVE_INFINITY), n, 'lower');
  const upper = expand(options.upper ?? Number.POSITIVE_INFINITY, n, 'upper');
  for (let i = 0; i < n; i++) {
    if (lower[i]! > upper[i]!) {
      throw new ValidationError(`lower[${i}]`, `be at most upper[${i}] ${upper[i]}`, lower[i]);
    }
  }
  const low = lower.reduce((a, b) => a + b, 0);
  const high = upper.reduce((a, b) => a + b, 0);
  if (low > 1 + 1e-12) throw new ValidationError('lower', 'sum to at most 1', low);
  if (high < 1 - 1e-12) throw new ValidationError('upper', 'sum to at least 1', high);
  return { lower, upper };
}

/**
 * Returns the bounds as constraints `x_i >= scale * lower_i` and `-x_i >= -scale * upper_i`,
 * where `scale` is a linear form of `x` given by its coefficients (the budget in the
 * homogeneous form of the maximum Sharpe problem) or the constant 1.
 */
export function boundConstraints(
  bounds: ResolvedBounds,
  scale?: readonly number[],
): LinearConstraint[] {
  const n = bounds.lower.length;
  const out: LinearConstraint[] = [];
  const unit = (i: number, sign: number, level: number): LinearConstraint => {
    const coefficients = new Array<number>(n).fill(0);
    if (scale === undefined) {
      coefficients[i] = sign;
      return { coefficients, bound: sign * level };
    }
    // x_i - level * scale . x >= 0 (sign 1), or level * scale . x - x_i >= 0 (sign -1).
    for (let j = 0; j < n; j++) coefficients[j] = -sign * level * scale[j]!;
    coefficients[i]! += sign;
    return { coefficients, bound: 0 };
  };
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(bounds.lower[i]!)) out.push(unit(i, 1, bounds.lower[i]!));
    if (Number.isFinite(bounds.upper[i]!)) out.push(unit(i, -1, bounds.upper[i]!));
  }
  return out;
}
