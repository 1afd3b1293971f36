import { downsideDeviation, simpleReturns, sortinoRatio } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('sortinoRatio', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ curve, options, expected }) => {
    const returns = simpleReturns(curve.values);
    const riskFreeRate = options.riskFreeRate ?? 0;
    expectClose(
      sortinoRatio(returns, { periodsPerYear: expected.periodsPerYear, riskFreeRate }),
      expected.sortinoRatio,
    );
  });

  it('divides the mean return by the downside deviation over all periods, annualized', () => {
    const returns = [0.02, -0.01, 0.01, -0.03];
    const downside = Math.sqrt((0.01 ** 2 + 0.03 ** 2) / 4);
    expectClose(downsideDeviation(returns), downside);
    expectClose(
      sortinoRatio(returns, { periodsPerYear: 365 }),
      (-0.0025 / downside) * Math.sqrt(365),
    );
  });

  it('measures the downside below a given target', () => {
    const returns = [0.02, -0.01, 0.01, -0.03];
    const downside = Math.sqrt((0.02 ** 2 + 0.04 ** 2) / 4);
    expectClose(downsideDeviation(returns, { target: 0.01 }), downside);
    expectClose(
      sortinoRatio(returns, { periodsPerYear: 365, target: 0.01 }),
      (-0.0025 / downside) * Math.sqrt(365),
    );
  });

  it('returns null when no return falls below the target, and for no returns', () => {
    expect(sortinoRatio([0.01, 0.02, 0], { periodsPerYear: 252 })).toBeNull();
    expect(sortinoRatio([], { periodsPerYear: 252 })).toBeNull();
    expect(downsideDeviation([])).toBeNull();
  });

  it('rejects a non-finite target', () => {
    expect(catchValidationError(() => downsideDeviation([0.1], { target: Number.NaN })).field).toBe(
      'target',
    );
  });
});
