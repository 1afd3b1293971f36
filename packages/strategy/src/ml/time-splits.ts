import { ValidationError } from '@qtp/core';

/** One train/test split of a time series, as bar indexes in increasing order. */
export interface TimeSplit {
  /** The rows to train on, after purging and the embargo. */
  readonly train: Int32Array;
  /** The rows to test on: one contiguous block. */
  readonly test: Int32Array;
}

/** What purging and the embargo need, shared by {@link walkForwardSplits} and {@link purgedKFoldSplits}. */
export interface PurgeOptions {
  /**
   * For each row, the last bar its label reads (such as `t + horizon` for forward returns, or the
   * `endIndex` of triple-barrier labels); a training row whose label window `[t, labelEnd[t]]`
   * overlaps the test block is purged. Default: each row's label ends at the row itself.
   */
  readonly labelEnd?: ArrayLike<number>;
  /** Rows right after the test block left out of training, against serial correlation; default 0. */
  readonly embargo?: number;
}

/** Options of {@link walkForwardSplits}. */
export interface WalkForwardSplitOptions extends PurgeOptions {
  /** Rows in each training window (the first window with `expanding`). */
  readonly trainSize: number;
  /** Rows in each test block. */
  readonly testSize: number;
  /** Rows the windows move by; default `testSize`. */
  readonly step?: number;
  /** Whether every training window starts at row 0; default false (a rolling window). */
  readonly expanding?: boolean;
}

/** Options of {@link purgedKFoldSplits}. */
export interface PurgedKFoldOptions extends PurgeOptions {
  /** The number of contiguous test folds, an integer >= 2. */
  readonly folds: number;
}

function checkInteger(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min)
    throw new ValidationError(field, `be an integer >= ${min}`, value);
  return value;
}

function range(from: number, to: number): Int32Array {
  const out = new Int32Array(Math.max(0, to - from));
  for (let i = 0; i < out.length; i++) out[i] = from + i;
  return out;
}

// Keeps the candidate rows whose label window misses [testStart, testEnd) and that are not in the
// embargo after it.
function trainRows(
  candidates: Iterable<number>,
  testStart: number,
  testEnd: number,
  options: PurgeOptions,
): Int32Array {
  const embargo = options.embargo ?? 0;
  const labelEnd = options.labelEnd;
  const kept: number[] = [];
  for (const i of candidates) {
    if (i >= testStart && i < testEnd + embargo) continue;
    const end = labelEnd === undefined ? i : labelEnd[i]!;
    // A label whose end is unknown (NaN, or -1 from tripleBarrierLabels) is not trained on.
    if (!(end >= i)) continue;
    if (i < testStart && end >= testStart) continue;
    kept.push(i);
  }
  return Int32Array.from(kept);
}

function checkPurge(options: PurgeOptions, length: number): void {
  checkInteger('embargo', options.embargo ?? 0, 0);
  if (options.labelEnd !== undefined && options.labelEnd.length !== length) {
    throw new ValidationError(
      'labelEnd.length',
      `equal the number of rows ${length}`,
      options.labelEnd.length,
    );
  }
}

/**
 * Returns walk-forward splits: train on a window, test on the block after it, move on by `step`.
 * Training rows whose labels reach into the test block are purged, so no training label has
 * seen a test bar.
 *
 * @param length - the number of rows
 * @throws {@link @qtp/core!ValidationError} naming `trainSize`, `testSize`, `step`, `embargo` or `labelEnd`
 * @example
 * ```ts
 * import { walkForwardSplits } from '@qtp/strategy/ml';
 * const labelEnd = Array.from({ length: 1000 }, (_, t) => t + 10); // 10-bar forward returns
 * for (const { train, test } of walkForwardSplits(1000, { trainSize: 500, testSize: 100, labelEnd })) {
 *   // train ends 10 rows before the test block starts
 * }
 * ```
 */
export function walkForwardSplits(length: number, options: WalkForwardSplitOptions): TimeSplit[] {
  checkInteger('length', length, 0);
  const trainSize = checkInteger('trainSize', options.trainSize, 1);
  const testSize = checkInteger('testSize', options.testSize, 1);
  const step = checkInteger('step', options.step ?? testSize, 1);
  checkPurge(options, length);
  const splits: TimeSplit[] = [];
  for (let start = 0; start + trainSize + testSize <= length; start += step) {
    const testStart = start + trainSize;
    const testEnd = testStart + testSize;
    const from = options.expanding ? 0 : start;
    splits.push({
      train: trainRows(range(from, testStart), testStart, testEnd, options),
      test: range(testStart, testEnd),
    });
  }
  return splits;
}

/**
 * Returns purged k-fold splits (de Prado, 7.4): the rows cut into `folds` contiguous test
 * blocks; for each, every other row trains, except rows whose label window overlaps the block
 * (purging) and the `embargo` rows right after it.
 *
 * @param length - the number of rows
 * @throws {@link @qtp/core!ValidationError} naming `folds` when it is not an integer from 2 to `length`
 * @example
 * ```ts
 * import { purgedKFoldSplits } from '@qtp/strategy/ml';
 * const splits = purgedKFoldSplits(1000, { folds: 5, embargo: 10 });
 * ```
 */
export function purgedKFoldSplits(length: number, options: PurgedKFoldOptions): TimeSplit[] {
  checkInteger('length', length, 0);
  const folds = checkInteger('folds', options.folds, 2);
  if (folds > length)
    throw new ValidationError('folds', `be at most the number of rows ${length}`, folds);
  checkPurge(options, length);
  const splits: TimeSplit[] = [];
  for (let k = 0; k < folds; k++) {
    const testStart = Math.floor((k * length) / folds);
    const testEnd = Math.floor(((k + 1) * length) / folds);
    splits.push({
      train: trainRows(range(0, length), testStart, testEnd, options),
      test: range(testStart, testEnd),
    });
  }
  return splits;
}
