import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectQuantile, sortedCopy, sortedQuantile } from '../../src/measures/statistics.js';

describe('type-7 quantiles', () => {
  it('interpolates between order statistics as R and numpy do', () => {
    const sorted = [1, 2, 4, 8];
    // Position (4 - 1) p: 0.3 at p = 0.1, 1.5 at p = 0.5, 3 at p = 1.
    expect(sortedQuantile(sorted, 0.1)).toBeCloseTo(1.3, 15);
    expect(sortedQuantile(sorted, 0.5)).toBe(3);
    expect(sortedQuantile(sorted, 1)).toBe(8);
    expect(sortedQuantile(sorted, 0)).toBe(1);
  });

  it('selects in linear time the quantile a full sort gives, ties and all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, p) => {
          const expected = sortedQuantile(sortedCopy(values), p);
          expect(selectQuantile(Float64Array.from(values), p)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
