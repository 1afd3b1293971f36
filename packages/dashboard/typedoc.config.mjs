// API docs of this package: one entry per public subpath of its exports map.
import { packageOptions } from '../../scripts/typedoc-package.mjs';

export default packageOptions(import.meta.dirname);
