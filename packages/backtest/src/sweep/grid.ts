import { ValidationError } from '@qtp/core';
import type { SweepParams, SweepValue } from './job.js';

/** The values to try for each parameter: their product is the sweep's set of runs. */
export type SweepGrid = Readonly<Record<string, readonly SweepValue[]>>;

/**
 * Returns every combination of a grid's values, in a fixed order: the first parameter varies
 * slowest, the last fastest, as nested loops written in the grid's key order would.
 *
 * @throws `ValidationError` of `@qtp/core` naming `grid.<name>` when a parameter has no values
 * @example
 * ```ts
 * import { expandGrid } from '@qtp/backtest';
 * expandGrid({ fastPeriod: [5, 10], slowPeriod: [50, 100] });
 * // [{ fastPeriod: 5, slowPeriod: 50 }, { fastPeriod: 5, slowPeriod: 100 },
 * //  { fastPeriod: 10, slowPeriod: 50 }, { fastPeriod: 10, slowPeriod: 100 }]
 * ```
 */
export function expandGrid(grid: SweepGrid): SweepParams[] {
  let combinations: Record<string, SweepValue>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) {
      throw new ValidationError(`grid.${name}`, 'list at least one value', values);
    }
    combinations = combinations.flatMap((partial) =>
      values.map((value) => ({ ...partial, [name]: value })),
    );
  }
  return combinations;
}

/**
 * Returns the parameter sets of a grid or an explicit list, checked.
 * @throws ValidationError naming `grid` when there is no set to run
 */
export function paramSetsOf(grid: SweepGrid | readonly SweepParams[]): SweepParams[] {
  const sets = Array.isArray(grid)
    ? [...(grid as readonly SweepParams[])]
    : expandGrid(grid as SweepGrid);
  if (sets.length === 0)
    throw new ValidationError('grid', 'give at least one set of parameters', grid);
  sets.forEach((set, index) => {
    if (typeof set !== 'object' || set === null || Array.isArray(set)) {
      throw new ValidationError(`grid[${index}]`, 'be an object of parameter values', set);
    }
  });
  return sets;
}
