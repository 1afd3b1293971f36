import { ValidationError } from '@qtp/core';
import type { FeatureMatrix } from './feature-pipeline.js';

/** Options of {@link featuresToCsv}. */
export interface FeaturesCsvOptions {
  /** Label columns to add after the features, each as long as the matrix. */
  readonly labels?: Readonly<Record<string, ArrayLike<number>>>;
  /** Leave out rows where any feature or label is NaN (warm-up, the end without a label); default false. */
  readonly dropIncomplete?: boolean;
}

/**
 * Returns the features (and labels) as CSV text: a header `time,<feature names>,<label names>`,
 * then one line per bar with the open time in epoch milliseconds and each number written as the
 * shortest decimal that reads back as the same double (`String(n)`), an empty field for NaN. For
 * pandas: `pd.read_csv(path)` gives the same numbers, NaN for the empty fields.
 *
 * @throws {@link @qtp/core!ValidationError} naming `labels.<name>` for a column of another length
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { featuresToCsv, forwardReturns } from '@qtp/strategy/ml';
 * writeFileSync('features.csv', featuresToCsv(matrix, { labels: { fwd_12: forwardReturns(series.close, 12) } }));
 * ```
 */
export function featuresToCsv(matrix: FeatureMatrix, options: FeaturesCsvOptions = {}): string {
  const labels = Object.entries(options.labels ?? {});
  for (const [name, column] of labels) {
    if (column.length !== matrix.length) {
      throw new ValidationError(
        `labels.${name}`,
        `have ${matrix.length} values, one per row`,
        column.length,
      );
    }
  }
  const columns: ArrayLike<number>[] = [...matrix.columns, ...labels.map(([, column]) => column)];
  const header = ['time', ...matrix.names, ...labels.map(([name]) => name)];
  for (const name of header) {
    if (/[",\n\r]/.test(name))
      throw new ValidationError('names', 'hold no comma, quote or line break', name);
  }
  const lines = [header.join(',')];
  for (let i = 0; i < matrix.length; i++) {
    const fields = [String(matrix.time[i])];
    let complete = true;
    for (const column of columns) {
      const v = column[i]!;
      if (Number.isNaN(v)) {
        complete = false;
        fields.push('');
      } else fields.push(String(v));
    }
    if (complete || !options.dropIncomplete) lines.push(fields.join(','));
  }
  return `${lines.join('\n')}\n`;
}
