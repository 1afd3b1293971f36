import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskyFactor, columnMeans, sampleCovariance } from '../../src/measures/covariance.js';
import { catchValidationError } from './reference.js';

function reproduce(lower: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let sum = 0;
      for (let k = 0; k < d; k++) sum += lower[i * d + k]! * lower[j * d + k]!;
      out[i * d + j] = sum;
    }
  return out;
}

describe('choleskyFactor', () => {
  it('factors a 2 x 2 covariance worked by hand', () => {
    // [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]]
    expect(Array.from(choleskyFactor(Float64Array.from([4, 2, 2, 5]), 2))).toEqual([2, 0, 1, 2]);
  });

  // A semi-definite matrix factors to about the square root of the rounding error: the pivot of
  // the redundant asset is rounding noise, and what it drops is bounded by sqrt(pivot * largest).
  it('reproduces any sample covariance, including a redundant asset', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(
            fc.integer({ min: -100_000, max: 100_000 }).map((x) => x / 1e6),
            { minLength: 3, maxLength: 3 },
          ),
          {
            minLength: 5,
            maxLength: 30,
          },
        ),
        (rows) => {
          // A fourth asset that is the sum of the first two: the covariance is only semi-definite.
          const columns = [0, 1, 2].map((a) => Float64Array.from(rows, (row) => row[a]!));
          columns.push(Float64Array.from(rows, (row) => row[0]! + row[1]!));
          const covariance = sampleCovariance(columns, columnMeans(columns));
          const back = reproduce(choleskyFactor(covariance, 4), 4);
          let largest = 0;
          for (const x of covariance) largest = Math.max(largest, Math.abs(x));
          for (let i = 0; i < 16; i++) {
            expect(Math.abs(back[i]! - covariance[i]!)).toBeLessThanOrEqual(1e-7 * largest);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a matrix that is not a covariance', () => {
    expect(
      catchValidationError(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2)).field,
    ).toBe('covariance');
  });
});
