import { ValidationError } from '@qtp/core';
import { type ColumnSource, parquetWriteBuffer } from 'hyparquet-writer';
import type { FeatureMatrix } from '../feature-pipeline.js';

/** Options of {@link featuresToParquet}. */
export interface FeaturesParquetOptions {
  /** Label columns to add after the features, each as long as the matrix. */
  readonly labels?: Readonly<Record<string, ArrayLike<number>>>;
  /** Rows per row group (default: every row in one group). */
  readonly rowGroupSize?: number;
}

/**
 * Returns the features (and labels) as an Apache Parquet file, written by `hyparquet-writer`:
 * a required `time` column (a millisecond timestamp of each row's bar), then one required
 * `DOUBLE` column per feature and label, NaN kept as NaN, Snappy-compressed. pandas
 * (`pandas.read_parquet`), pyarrow and polars read it.
 *
 * @throws {@link @qtp/core!ValidationError} naming `labels.<name>` for a column of another length,
 *   `names` for a label named like a feature or `time`, or `rowGroupSize` when it is not an
 *   integer of 1 or more
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { forwardReturns } from '@qtp/strategy/ml';
 * import { featuresToParquet } from '@qtp/strategy/ml/parquet';
 * writeFileSync('features.parquet', featuresToParquet(matrix, { labels: { fwd_12: forwardReturns(series.close, 12) } }));
 * ```
 */
export function featuresToParquet(
  matrix: FeatureMatrix,
  options: FeaturesParquetOptions = {},
): Uint8Array {
  const rowGroupSize = options.rowGroupSize;
  if (rowGroupSize !== undefined && (!Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1)) {
    throw new ValidationError('rowGroupSize', 'be an integer of 1 or more', rowGroupSize);
  }
  const names = new Set(['time']);
  const columns: ColumnSource[] = [
    { name: 'time', data: Array.from(matrix.time), type: 'TIMESTAMP', nullable: false },
  ];
  const add = (name: string, values: ArrayLike<number>) => {
    if (names.has(name)) {
      throw new ValidationError('names', 'be unique across time, features and labels', name);
    }
    names.add(name);
    columns.push({ name, data: Float64Array.from(values), type: 'DOUBLE', nullable: false });
  };
  matrix.names.forEach((name, j) => {
    add(name, matrix.columns[j]!);
  });
  for (const [name, values] of Object.entries(options.labels ?? {})) {
    if (values.length !== matrix.length) {
      throw new ValidationError(
        `labels.${name}`,
        `have ${matrix.length} values, one per row`,
        values.length,
      );
    }
    add(name, values);
  }
  const buffer = parquetWriteBuffer({
    columnData: columns,
    createdBy: 'qtp',
    ...(rowGroupSize === undefined ? {} : { rowGroupSize }),
  });
  return new Uint8Array(buffer);
}
