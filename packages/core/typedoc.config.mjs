// API docs of this package: one entry per public subpath of its exports map.
import { packageOptions } from '../../scripts/typedoc-package.mjs';

export default {
  ...packageOptions(import.meta.dirname),
  // The JSON form of an order event is the output type of this private zod schema.
  intentionallyNotExported: ['orderEventJsonSchema'],
};
