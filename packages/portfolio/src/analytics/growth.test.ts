import { CAGR_YEAR_MS, cagr, totalReturn } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import { catchValidationError, expectClose, loadReferenceCases } from '../../test/reference.js';

describe('totalReturn and cagr', () => {
  it.each(loadReferenceCases())('match pandas for $name', ({ curve, expected }) => {
    expectClose(totalReturn(curve.values), expected.totalReturn, 'totalReturn');
    expectClose(cagr(curve), expected.cagr, 'cagr');
  });

  it('measures CAGR over 365.25-day years from the first to the last timestamp', () => {
    expect(CAGR_YEAR_MS).toBe(31_557_600_000);
    expectClose(cagr({ times: [0, 2 * CAGR_YEAR_MS], values: [100, 121] }), 0.1);
    expectClose(cagr({ times: [0, CAGR_YEAR_MS / 2], values: [100, 110.25] }), 0.21550625);
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
