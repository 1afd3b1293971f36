import { annualizedVolatility, returnStandardDeviation, simpleReturns } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('annualizedVolatility', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ curve, expected }) => {
    const returns = simpleReturns(curve.values);
    expectClose(
      annualizedVolatility(returns, { periodsPerYear: expected.periodsPerYear }),
      expected.annualizedVolatility,
    );
  });

  it('uses the sample standard deviation (n - 1) times the square root of periods per year', () => {
    // Deviations from the mean 0.02 are -0.01, 0.01, -0.02, 0.02: squares sum to 0.001.
    expectClose(returnStandardDeviation([0.01, 0.03, 0, 0.04]), Math.sqrt(0.001 / 3));
    expectClose(
      annualizedVolatility([0.01, 0.03, 0, 0.04], { periodsPerYear: 365 }),
      Math.sqrt((0.001 / 3) * 365),
    );
  });

  it('is exactly 0 when every return is equal, and null for fewer than two returns', () => {
    expect(returnStandardDeviation([0.001, 0.001, 0.001])).toBe(0);
    expect(annualizedVolatility([0.001, 0.001, 0.001], { periodsPerYear: 252 })).toBe(0);
    expect(annualizedVolatility([0.01], { periodsPerYear: 252 })).toBeNull();
    expect(annualizedVolatility([], { periodsPerYear: 252 })).toBeNull();
  });

  it('rejects a non-finite return and non-positive periods per year', () => {
    expect(
      catchValidationError(() =>
        annualizedVolatility([0, Number.POSITIVE_INFINITY], { periodsPerYear: 252 }),
      ).field,
    ).toBe('returns[1]');
    expect(
      catchValidationError(() => annualizedVolatility([0, 0.1], { periodsPerYear: 0 })).field,
    ).toBe('periodsPerYear');
  });
});
