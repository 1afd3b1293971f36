// API docs of this package: one entry per public subpath of its exports map.
import { packageOptions } from '../../scripts/typedoc-package.mjs';

export default {
  ...packageOptions(import.meta.dirname),
  // The algorithms' option types are the inputs of these private zod schemas.
  intentionallyNotExported: [
    'icebergOptionsSchema',
    'povOptionsSchema',
    'twapOptionsSchema',
    'vwapOptionsSchema',
  ],
};
