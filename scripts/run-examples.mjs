// Runs the start script of every example package (examples/*/package.json), one after the
// other, then the `qtp` CLI through `pnpm qtp`, and exits non-zero when any of them fails, so CI
// proves that every example and the documented CLI command still run from the sources.
// Usage: node scripts/run-examples.mjs [name ...]   (names as in examples/<name>, or qtp;
// default all). `pnpm example <name>` runs one.
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
const withCli = wanted.length === 0 || wanted.includes('qtp');

const unknown = wanted.filter(
  (name) => name !== 'qtp' && !packages.some(({ folder }) => folder === name),
);
if (unknown.length > 0) {
  const names = readdirSync(examples).filter((name) =>
    existsSync(join(examples, name, 'package.json')),
  );
  console.error(
    `no example named ${unknown.join(', ')}; the examples are ${names.join(', ')}, and qtp`,
  );
  process.exit(1);
}
if (packages.length === 0 && !withCli) {
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

// The README's CLI command, run as written from the repository root.
const CLI_ARGS = [
  'qtp',
  'backtest',
  '--data',
  'examples/data/XRPETH-5m.csv',
  '--strategy',
  'sma-crossover',
  '--balance',
  'ETH=1',
  '--param',
  'quantity=100',
];
if (withCli) {
  console.log(`\n=== pnpm ${CLI_ARGS.join(' ')}`);
  const run = spawnSync('pnpm', ['--silent', ...CLI_ARGS], { cwd: root, encoding: 'utf8' });
  process.stdout.write(run.stdout ?? '');
  process.stderr.write(run.stderr ?? '');
  if (run.status === 0 && /Backtest: sma-crossover on XRPETH\.BINANCE/.test(run.stdout)) {
    console.log('=== qtp: ok');
  } else {
    console.log(`=== qtp: FAILED (${run.error?.message ?? `exit code ${run.status}`})`);
    failed.push('qtp');
  }
}
const total = packages.length + (withCli ? 1 : 0);

if (failed.length > 0) {
  console.error(`\n${failed.length} of ${total} examples failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log(`\nall ${total} examples ran`);
