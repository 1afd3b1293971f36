import {
  annualizedVolatility,
  calmarRatio,
  downsideDeviation,
  inferPeriodsPerYear,
  perPeriodRate,
  sharpeRatio,
  sortinoRatio,
} from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError } from '../../test/reference.js';

const returns = [0.01, -0.02, 0.015];
const curve = { times: [0, 1, 2], values: [100, 90, 110] };

describe('analytics options', () => {
  it('reject an unknown key in every function, naming the key', () => {
    const cases: [string, () => unknown][] = [
      ['periodPerYear', () => annualizedVolatility(returns, { periodPerYear: 12 } as never)],
      ['riskFree', () => sharpeRatio(returns, { periodsPerYear: 12, riskFree: 0 } as never)],
      ['targett', () => sortinoRatio(returns, { periodsPerYear: 12, targett: 0 } as never)],
      ['minimum', () => downsideDeviation(returns, { minimum: 0 } as never)],
      ['rate', () => perPeriodRate({ riskFreeRate: 0, periodsPerYear: 12, rate: 1 } as never)],
      ['calendar', () => calmarRatio(curve, { calendar: 'crypto' } as never)],
      ['session', () => inferPeriodsPerYear(curve.times, { session: 1 } as never)],
    ];
    for (const [key, run] of cases) {
      const error = catchValidationError(run);
      expect(error.field).toBe(key);
      expect(error.rule).toMatch(/^be a known option/);
    }
  });

  it('reject NaN and non-positive periods per year, naming the field', () => {
    for (const periodsPerYear of [Number.NaN, 0, -252, Number.POSITIVE_INFINITY]) {
      expect(catchValidationError(() => sharpeRatio(returns, { periodsPerYear })).field).toBe(
        'periodsPerYear',
      );
      expect(
        catchValidationError(() => annualizedVolatility(returns, { periodsPerYear })).field,
      ).toBe('periodsPerYear');
      expect(
        catchValidationError(() => perPeriodRate({ riskFreeRate: 0.01, periodsPerYear })).field,
      ).toBe('periodsPerYear');
    }
  });

  it('reject options that are not an object', () => {
    expect(catchValidationError(() => downsideDeviation(returns, 0.01 as never)).field).toBe(
      'options',
    );
  });
});
