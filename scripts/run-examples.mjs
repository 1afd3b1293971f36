// Runs the start script of every example package (examples/*/package.json), one after the
// other, and exits non-zero when any of them fails, so CI proves that every example still runs.
// Usage: node scripts/run-examples.mjs [name ...]   (names as in examples/<name>; default all)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const wanted = process.argv.slice(2);

const packages = readdirSync(examples, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(examples, entry.name, 'package.json')))
  .map((entry) => ({
    folder: entry.name,
    manifest: JSON.parse(readFileSync(join(examples, entry.name, 'package.json'), 'utf8')),
  }))
  .filter(({ folder }) => wanted.length === 0 || wanted.includes(folder))
  .sort((a, b) => a.folder.localeCompare(b.folder));

if (packages.length === 0) {
  console.error(`no example matches ${wanted.join(', ') || 'examples/*'}`);
  process.exit(1);
}

const failed = [];
for (const { folder, manifest } of packages) {
  if (manifest.scripts?.start === undefined) {
    failed.push(`${folder} (no start script)`);
    continue;
  }
  console.log(`\n=== ${manifest.name} (examples/${folder})`);
  const started = performance.now();
  // Through pnpm, as a user runs it, so the example resolves its workspace dependencies.
  const run = spawnSync('pnpm', ['--filter', manifest.name, 'run', 'start'], {
    cwd: root,
    stdio: 'inherit',
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    console.log(`=== ${manifest.name}: ok in ${seconds} s`);
  } else {
    const how =
      run.error?.message ?? (run.signal === null ? `exit code ${run.status}` : run.signal);
    console.log(`=== ${manifest.name}: FAILED (${how}) after ${seconds} s`);
    failed.push(folder);
  }
}

if (failed.length > 0) {
  console.error(`\n${failed.length} of ${packages.length} examples failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nall ${packages.length} examples ran`);
