/// <reference path="./quadprog.d.ts" />
import { ValidationError } from '@qtp/core';
import quadprog from 'quadprog';

/** One linear constraint `coefficients . x (= or >=) bound`. */
export interface LinearConstraint {
  readonly coefficients: readonly number[];
  readonly bound: number;
}

/** A convex quadratic program: minimise `x'Qx / 2 - c'x` under linear constraints. */
export interface QuadraticProgram {
  /** The symmetric positive-definite matrix of the quadratic term. */
  readonly quadratic: readonly (readonly number[])[];
  /** The vector `c` of the linear term (subtracted). */
  readonly linear: readonly number[];
  /** Constraints `a . x = b`. */
  readonly equalities: readonly LinearConstraint[];
  /** Constraints `a . x >= b`. */
  readonly inequalities: readonly LinearConstraint[];
}

/**
 * Solves a convex quadratic program with the Goldfarb-Idnani dual method of the `quadprog`
 * package, translating to its 1-indexed arrays and back.
 * @throws {@link @qtp/core!ValidationError} naming `constraints` when no point meets them all
 */
export function solveQuadraticProgram(program: QuadraticProgram): number[] {
  const n = program.linear.length;
  const constraints = [...program.equalities, ...program.inequalities];
  const dmat: number[][] = [[]];
  for (let i = 0; i < n; i++) dmat.push([0, ...program.quadratic[i]!]);
  const dvec = [0, ...program.linear];
  const amat: number[][] = [[]];
  for (let i = 0; i < n; i++) {
    const row = [0];
    for (const constraint of constraints) row.push(constraint.coefficients[i]!);
    amat.push(row);
  }
  const bvec = [0, ...constraints.map((constraint) => constraint.bound)];
  const result = quadprog.solveQP(dmat, dvec, amat, bvec, program.equalities.length);
  if (result.message !== '') {
    throw new ValidationError('constraints', 'admit a solution', result.message);
  }
  return result.solution.slice(1, n + 1);
}
