import { perPeriodRate, sharpeRatio, simpleReturns } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('sharpeRatio', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ curve, options, expected }) => {
    const returns = simpleReturns(curve.values);
    const riskFreeRate = options.riskFreeRate ?? 0;
    expectClose(
      sharpeRatio(returns, { periodsPerYear: expected.periodsPerYear, riskFreeRate }),
      expected.sharpeRatio,
    );
  });

  it('divides the mean excess return by the sample standard deviation, annualized', () => {
    const returns = [0.01, 0.03, 0, 0.04];
    const rate = perPeriodRate({ riskFreeRate: 0.05, periodsPerYear: 12 });
    expectClose(
      sharpeRatio(returns, { periodsPerYear: 12, riskFreeRate: 0.05 }),
      ((0.02 - rate) / Math.sqrt(0.001 / 3)) * Math.sqrt(12),
    );
  });

  it('returns null for zero volatility and for fewer than two returns', () => {
    expect(sharpeRatio([0.002, 0.002, 0.002], { periodsPerYear: 365 })).toBeNull();
    expect(sharpeRatio([0.002], { periodsPerYear: 365 })).toBeNull();
    expect(sharpeRatio([], { periodsPerYear: 365 })).toBeNull();
  });

  it('rejects NaN returns and a risk-free rate of -100 % or worse', () => {
    expect(
      catchValidationError(() => sharpeRatio([0.1, Number.NaN], { periodsPerYear: 1 })).field,
    ).toBe('returns[1]');
    expect(
      catchValidationError(() => sharpeRatio([0.1, 0.2], { periodsPerYear: 1, riskFreeRate: -2 }))
        .field,
    ).toBe('riskFreeRate');
  });
});
