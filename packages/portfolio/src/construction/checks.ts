import { ValidationError } from '@qtp/core';

/** A covariance matrix or any square matrix of numbers, row by row. */
export type Matrix = readonly (readonly number[])[];

/** Checks that `matrix` is square, finite and symmetric; returns its size. */
export function checkCovariance(matrix: Matrix, field = 'covariance'): number {
  const n = matrix.length;
  if (n === 0) throw new ValidationError(field, 'hold at least one asset', matrix);
  for (let i = 0; i < n; i++) {
    const row = matrix[i]!;
    if (row.length !== n) {
      throw new ValidationError(
        `${field}[${i}].length`,
        `equal the number of assets ${n}`,
        row.length,
      );
    }
    for (let j = 0; j < n; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new ValidationError(`${field}[${i}][${j}]`, 'be finite', v);
      const mirror = matrix[j]![i]!;
      if (Math.abs(v - mirror) > 1e-12 * Math.max(1, Math.abs(v))) {
        throw new ValidationError(
          `${field}[${i}][${j}]`,
          `equal ${field}[${j}][${i}] ${mirror}`,
          v,
        );
      }
    }
    if (!(row[i]! > 0)) {
      throw new ValidationError(`${field}[${i}][${i}]`, 'be greater than 0', row[i]);
    }
  }
  return n;
}

/** Checks a vector of `n` finite numbers. */
export function checkVector(
  values: readonly number[],
  n: number,
  field: string,
): readonly number[] {
  if (values.length !== n) {
    throw new ValidationError(`${field}.length`, `equal the number of assets ${n}`, values.length);
  }
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ValidationError(`${field}[${i}]`, 'be finite', v);
  });
  return values;
}

/** Returns `matrix * factor` as a new matrix. */
export function scaleMatrix(matrix: Matrix, factor: number): number[][] {
  return matrix.map((row) => row.map((v) => v * factor));
}

/** Returns the mean of the diagonal: the scale that brings a covariance to order 1. */
export function diagonalMean(matrix: Matrix): number {
  let sum = 0;
  for (let i = 0; i < matrix.length; i++) sum += matrix[i]![i]!;
  return sum / matrix.length;
}

/** Returns `w' S w`. */
export function quadraticForm(matrix: Matrix, weights: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    let row = 0;
    const m = matrix[i]!;
    for (let j = 0; j < weights.length; j++) row += m[j]! * weights[j]!;
    total += weights[i]! * row;
  }
  return total;
}

/** Returns `a . b`. */
export function dot(a: readonly number[], b: readonly number[]): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * b[i]!;
  return total;
}
