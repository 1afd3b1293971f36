/**
 * Apache Parquet export of feature matrices and labels, behind its own subpath because
 * `hyparquet-writer` is an optional peer dependency: install it to use this entry.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { featuresToParquet } from '@qtp/strategy/ml/parquet';
 * writeFileSync('features.parquet', featuresToParquet(matrix, { labels: { up } }));
 * // Python: pandas.read_parquet('features.parquet')
 * ```
 *
 * @module
 */

export type { FeaturesParquetOptions } from './parquet-export.js';
export { featuresToParquet } from './parquet-export.js';
