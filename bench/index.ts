/**
 * Runs every benchmark file in this folder (or those named on the command line, by subject:
 * `pnpm bench event-bus order-book`) in one process, so QTP, its npm peers and a plain
 * hand-written loop are measured side by side on the same machine state. mitata's `summary`
 * prints the ratios.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from 'mitata';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => wanted.length === 0 || wanted.includes(name.replace('.bench.ts', '')))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exit(1);
}
// A benchmark that holds servers or sockets exports `teardown`, called once everything ran.
const teardowns: (() => Promise<void>)[] = [];
for (const file of files) {
  const loaded = (await import(pathToFileURL(join(here, file)).href)) as {
    teardown?: () => Promise<void>;
  };
  if (loaded.teardown !== undefined) teardowns.push(loaded.teardown);
}
await run({
  format: process.stdout.isTTY ? 'mitata' : { mitata: { name: 'fixed' } },
  colors: process.stdout.isTTY,
});
for (const teardown of teardowns) await teardown();
