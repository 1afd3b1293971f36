// Types for the quadprog package (a port of R's quadprog), which ships none. Arrays are
// 1-indexed as in the Fortran original: element 0 is unused.
declare module 'quadprog' {
  /** The result of {@link solveQP}; `message` is empty on success. */
  export interface QuadprogResult {
    solution: number[];
    value: number[];
    Lagrangian: number[];
    message: string;
  }
  /** Minimises `-d'b + b'Db / 2` subject to `A'b >= b0`, the first `meq` constraints as equalities. */
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
  ): QuadprogResult;
}
