// The typedoc options of one package: every public entry of its exports map, read from the
// `@qtp/source` condition, so a new subpath appears in the API docs without editing a list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Returns the `@qtp/source` file of each subpath of the package in `dir`. */
export function sourceEntryPoints(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const entries = Object.entries(manifest.exports ?? {})
    .filter(([subpath, target]) => subpath !== './package.json' && typeof target === 'object')
    .map(([subpath, target]) => {
      const source = target['@qtp/source'];
      if (typeof source !== 'string') {
        throw new Error(`${manifest.name}: export "${subpath}" has no "@qtp/source" condition`);
      }
      return source;
    });
  if (entries.length === 0) throw new Error(`${manifest.name}: the exports map has no entry`);
  return entries;
}

/** Returns the typedoc options of the package in `dir`. */
export function packageOptions(dir) {
  return {
    extends: [join(import.meta.dirname, '..', 'typedoc.base.json')],
    entryPoints: sourceEntryPoints(dir),
  };
}
