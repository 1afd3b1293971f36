import { ValidationError } from '@qtp/core';
import {
  Table as ArrowTable,
  Float64,
  makeData,
  makeVector,
  type Table,
  tableToIPC,
} from 'apache-arrow';
import type { FeatureMatrix } from '../feature-pipeline.js';

/** Options of {@link featuresToArrowTable} and {@link featuresToArrowIpc}. */
export interface FeaturesArrowOptions {
  /** Label columns to add after the features, each as long as the matrix. */
  readonly labels?: Readonly<Record<string, ArrayLike<number>>>;
}

/**
 * Returns the features (and labels) as an Apache Arrow table: a `time` column (epoch
 * milliseconds) and one `Float64` column per feature and label, NaN kept as NaN. The columns
 * share no memory with the matrix.
 *
 * @throws {@link @qtp/core!ValidationError} naming `labels.<name>` for a column of another length,
 *   or `names` for a label named like a feature
 * @example
 * ```ts
 * import { featuresToArrowTable } from '@qtp/strategy/ml/arrow';
 * const table = featuresToArrowTable(matrix);
 * table.getChild('rsi_14')?.get(100);
 * ```
 */
export function featuresToArrowTable(
  matrix: FeatureMatrix,
  options: FeaturesArrowOptions = {},
): Table {
  const columns: Record<string, Float64Array> = { time: Float64Array.from(matrix.time) };
  matrix.names.forEach((name, j) => {
    columns[name] = Float64Array.from(matrix.columns[j]!);
  });
  for (const [name, values] of Object.entries(options.labels ?? {})) {
    if (values.length !== matrix.length) {
      throw new ValidationError(
        `labels.${name}`,
        `have ${matrix.length} values, one per row`,
        values.length,
      );
    }
    if (name in columns)
      throw new ValidationError('names', 'be unique across features and labels', name);
    columns[name] = Float64Array.from(values);
  }
  const vectors = Object.fromEntries(
    Object.entries(columns).map(([name, values]) => [
      name,
      makeVector(
        makeData({ type: new Float64(), length: values.length, nullCount: 0, data: values }),
      ),
    ]),
  );
  return new ArrowTable(vectors);
}

/**
 * Returns the features (and labels) in the Arrow IPC file format (Feather version 2), which
 * `pyarrow.feather.read_table` and `pandas.read_feather` read.
 *
 * @throws {@link @qtp/core!ValidationError} as {@link featuresToArrowTable}
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { featuresToArrowIpc } from '@qtp/strategy/ml/arrow';
 * writeFileSync('features.arrow', featuresToArrowIpc(matrix));
 * ```
 */
export function featuresToArrowIpc(
  matrix: FeatureMatrix,
  options: FeaturesArrowOptions = {},
): Uint8Array {
  return tableToIPC(featuresToArrowTable(matrix, options), 'file');
}
