import { cagr, totalReturn } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  catchValidationError,
  expectClose,
  loadReferenceCases,
  yearOf,
} from '../../test/reference.js';

const YEAR_365 = 365 * 86_400_000;

describe('totalReturn and cagr', () => {
  it.each(loadReferenceCases())('match pandas for $name', ({ curve, expected }) => {
    expectClose(totalReturn(curve.values), expected.totalReturn, 'totalReturn');
    expectClose(cagr(curve, yearOf(expected)), expected.cagr, 'cagr');
  });

  it('measures CAGR over 365-day years from the first to the last timestamp by default', () => {
    expectClose(cagr({ times: [0, 2 * YEAR_365], values: [100, 121] }), 0.1);
    // Half a year at 10.25 %: 1.1025 ** 2 - 1.
    expectClose(cagr({ times: [0, YEAR_365 / 2], values: [100, 110.25] }), 0.21550625);
  });

  it('measures CAGR over a given year length, or over periods per year of returns', () => {
    const day = 86_400_000;
    expectClose(
      cagr({ times: [0, 730.5 * day], values: [100, 121] }, { yearLengthDays: 365.25 }),
      0.1,
    );
    // 504 daily returns on a 252-period year are two years, whatever the calendar time.
    const times = Array.from({ length: 505 }, (_, i) => i * 1.4 * day);
    const values = times.map((_, i) => (i === 504 ? 121 : 100));
    const year = { yearBasis: 'periods', periodsPerYear: 252 } as const;
    expectClose(cagr({ times, values }, year), 0.1);
  });

  it('rejects a bad or unknown year option, naming it', () => {
    const curve = { times: [0, 1], values: [1, 2] };
    expect(catchValidationError(() => cagr(curve, { yearLengthDays: Number.NaN })).field).toBe(
      'yearLengthDays',
    );
    expect(catchValidationError(() => cagr(curve, { yearBasis: 'periods' })).field).toBe(
      'periodsPerYear',
    );
    expect(catchValidationError(() => cagr(curve, { yearLength: 365 } as never)).field).toBe(
      'yearLength',
    );
  });

  it('returns null for an empty curve, and a null CAGR for a single point', () => {
    expect(totalReturn([])).toBeNull();
    expect(totalReturn([50])).toBe(0);
    expect(cagr({ times: [], values: [] })).toBeNull();
    expect(cagr({ times: [7], values: [50] })).toBeNull();
  });

  it('rejects negative equity, NaN and mismatched lengths, naming the field', () => {
    expect(catchValidationError(() => totalReturn([1, -1])).message).toBe(
      'values[1]: must be positive: equity cannot fall to zero or below, was -1',
    );
    expect(catchValidationError(() => cagr({ times: [0, Number.NaN], values: [1, 2] })).field).toBe(
      'times[1]',
    );
    expect(catchValidationError(() => cagr({ times: [0, 1], values: [1] })).field).toBe('values');
  });
});
