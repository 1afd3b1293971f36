import { ValidationError } from '@qtp/core';

// Sample means, covariance and its Cholesky factor for the portfolio measures; not part of the
// public API. Matrices are row-major Float64Arrays of size d * d.

/** Returns each column's arithmetic mean. */
export function columnMeans(columns: readonly ArrayLike<number>[]): Float64Array {
  const means = new Float64Array(columns.length);
  columns.forEach((column, i) => {
    let sum = 0;
    for (let t = 0; t < column.length; t++) sum += column[t]!;
    means[i] = sum / column.length;
  });
  return means;
}

/** Returns the sample covariance matrix (divisor n - 1) of equally long columns. */
export function sampleCovariance(
  columns: readonly ArrayLike<number>[],
  means: Float64Array,
): Float64Array {
  const d = columns.length;
  const n = columns[0]!.length;
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const x = columns[i]!;
    const mx = means[i]!;
    for (let j = 0; j <= i; j++) {
      const y = columns[j]!;
      const my = means[j]!;
      let sum = 0;
      for (let t = 0; t < n; t++) sum += (x[t]! - mx) * (y[t]! - my);
      const value = sum / (n - 1);
      covariance[i * d + j] = value;
      covariance[j * d + i] = value;
    }
  }
  return covariance;
}

/**
 * Returns the lower-triangular L with L Lᵀ = covariance. A covariance that is only positive
 * semi-definite (an asset that is a blend of others, or a constant one) gets a zero column where
 * its pivot vanishes, which still reproduces the matrix; a clearly negative pivot means the input
 * is not a covariance and throws.
 */
export function choleskyFactor(covariance: Float64Array, d: number): Float64Array {
  const lower = new Float64Array(d * d);
  let largest = 0;
  for (let i = 0; i < d; i++) largest = Math.max(largest, covariance[i * d + i]!);
  // A pivot within rounding noise of zero is a redundant asset; one clearly below zero is not.
  const tolerance = largest * 1e-13;
  const negative = largest * 1e-8;
  for (let j = 0; j < d; j++) {
    let pivot = covariance[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= lower[j * d + k]! ** 2;
    if (pivot < -negative) {
      throw new ValidationError(
        'covariance',
        'be positive semi-definite',
        `a pivot of ${pivot} at asset ${j}`,
      );
    }
    if (pivot <= tolerance) continue;
    const root = Math.sqrt(pivot);
    lower[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let sum = covariance[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= lower[i * d + k]! * lower[j * d + k]!;
      lower[i * d + j] = sum / root;
    }
  }
  return lower;
}
