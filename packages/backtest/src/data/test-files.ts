import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the project's real market data, which the tests read. */
export const DATA_DIR = fileURLToPath(new URL('../../../../examples/data/', import.meta.url));

/** Returns the path of a file of `examples/data`. */
export function dataFile(name: string): string {
  return join(DATA_DIR, name);
}

/** Returns the non-empty lines of a file after the header, split on commas: the test's own reading. */
export function rawRows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split(','));
}

/**
 * Writes `text` to a new file in a fresh folder and returns its path. Under vitest the folder
 * is made in the run directory of the global setup, which removes it when the run ends.
 */
export function writeTempFile(name: string, text: string): string {
  const root = process.env.QTP_TEST_SERVICES_DIR || tmpdir();
  const path = join(mkdtempSync(join(root, 'qtp-data-')), name);
  writeFileSync(path, text);
  return path;
}

/** Collects an async iterable into an array. */
export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}
