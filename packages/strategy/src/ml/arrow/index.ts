/**
 * Apache Arrow export of feature matrices, behind its own subpath because `apache-arrow` is an
 * optional peer dependency: install it to use this entry.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { featuresToArrowIpc } from '@qtp/strategy/ml/arrow';
 * writeFileSync('features.arrow', featuresToArrowIpc(matrix, { labels: { up } }));
 * // Python: pyarrow.feather.read_table('features.arrow').to_pandas()
 * ```
 *
 * @module
 */

export type { FeaturesArrowOptions } from './arrow-export.js';
export { featuresToArrowIpc, featuresToArrowTable } from './arrow-export.js';
