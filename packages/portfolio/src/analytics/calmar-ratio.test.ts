import { calmarRatio } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  catchValidationError,
  expectClose,
  loadReferenceCases,
  yearOf,
} from '../../test/reference.js';

const YEAR_365 = 365 * 86_400_000;

describe('calmarRatio', () => {
  it.each(loadReferenceCases())('matches pandas for $name', ({ curve, expected }) => {
    expectClose(calmarRatio(curve, yearOf(expected)), expected.calmarRatio);
  });

  it('divides the CAGR by the maximum drawdown', () => {
    const curve = { times: [0, YEAR_365 / 3, YEAR_365], values: [100, 80, 120] };
    expectClose(calmarRatio(curve), 0.2 / (1 - 80 / 100));
  });

  it('returns null when the curve never falls below a peak or has one point', () => {
    expect(calmarRatio({ times: [0, 1, 2], values: [1, 1, 2] })).toBeNull();
    expect(calmarRatio({ times: [0], values: [1] })).toBeNull();
  });

  it('rejects unsorted times', () => {
    expect(catchValidationError(() => calmarRatio({ times: [1, 0], values: [1, 2] })).field).toBe(
      'times[1]',
    );
  });
});
