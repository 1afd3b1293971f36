import { formatPath, isPlainObject, type PathSegment } from './schema-walk.js';

function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) if (!sameValue(a[key], b[key])) return false;
    return true;
  }
  return false;
}

/**
 * Returns the paths whose values differ between two configs, deepest first found, in key order:
 * objects are compared key by key, anything else (arrays included) as a whole.
 */
export function changedPaths(previous: unknown, next: unknown, path: PathSegment[] = []): string[] {
  if (isPlainObject(previous) && isPlainObject(next)) {
    const keys = [...new Set([...Object.keys(previous), ...Object.keys(next)])].sort();
    return keys.flatMap((key) => changedPaths(previous[key], next[key], [...path, key]));
  }
  return sameValue(previous, next) ? [] : [formatPath(path)];
}
