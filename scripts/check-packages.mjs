// Checks that every publishable package works as a user would install it: packs each with pnpm,
// lints the package with publint and its types with attw, installs the tarballs into a fresh npm
// project, then loads every entry with `import` and `require` and typechecks an import of it.
// Last, it bundles an app that imports only `@qtp/core`'s main entry with esbuild and fails if a
// heavy library (they belong behind core's subpaths) is in it, and prints each package's
// main-entry size, minified.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeBundle, HEAVY_LIBRARIES } from './bundle-analysis.mjs';

const root = resolve(import.meta.dirname, '..');
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => !manifest.private)
  .filter(
    ({ manifest }) => process.argv.length <= 2 || process.argv.slice(2).includes(manifest.name),
  );

const work = mkdtempSync(join(tmpdir(), 'qtp-pack-'));
const tarballs = [];
try {
  for (const { dir, manifest } of packages) {
    run('pnpm', ['exec', 'publint', '--strict'], dir);
    const packed = run('pnpm', ['pack', '--pack-destination', work], dir).trim().split('\n').pop();
    const tarball = resolve(dir, packed);
    // Entries without a `require` condition are ESM-only on purpose (the vitest suites).
    const esmOnly = Object.entries(manifest.exports)
      .filter(([, target]) => typeof target === 'object' && !('require' in target))
      .map(([key]) => key);
    const attw = join(root, 'node_modules/.bin/attw');
    const table = ['--format', 'table-flipped'];
    const dual = esmOnly.length === 0 ? [] : ['--exclude-entrypoints', ...esmOnly];
    run(attw, [tarball, '--profile', 'node16', ...table, ...dual], root);
    if (esmOnly.length > 0) {
      run(attw, [tarball, '--profile', 'esm-only', ...table, '--entrypoints', ...esmOnly], root);
    }
    tarballs.push(tarball);
    console.log(`packed ${manifest.name}@${manifest.version}`);
  }

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'qtp-pack-check', private: true }),
  );
  // The testing entries need their optional peers, as a user's test setup would have them, and
  // each subpath its own (cockatiel for `@qtp/core/resilience`, ...), as a user of it installs.
  const testPeers = ['vitest@^4', 'fast-check@^4', '@types/node@^20'];
  const pinned = new Set(testPeers.map((spec) => spec.slice(0, spec.lastIndexOf('@'))));
  const optionalPeers = new Map();
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (!name.startsWith('@qtp/') && !pinned.has(name)) optionalPeers.set(name, range);
    }
  }
  const peerSpecs = [...optionalPeers].map(([name, range]) => `${name}@${range}`);
  // No install scripts, as pnpm runs none by default: onnxruntime-node's only fetches CUDA
  // providers from outside the npm registry, and its CPU runtime is in its package.
  run(
    'npm',
    [
      'install',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs,
      ...testPeers,
      ...peerSpecs,
    ],
    app,
  );

  const entries = packages.flatMap(({ manifest }) =>
    Object.entries(manifest.exports)
      // Pattern exports ship files, not modules (the store's SQL migrations).
      .filter(([key]) => key !== './package.json' && !key.includes('*'))
      .map(([key, target]) => ({
        name: key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`,
        // Testing entries register vitest suites and ship as ESM only, as vitest does.
        hasRequire: typeof target === 'object' && 'require' in target,
      })),
  );
  for (const { name, hasRequire } of entries) {
    const esm = `import * as m from '${name}'; if (Object.keys(m).length === 0) throw new Error('empty ${name}');`;
    run(process.execPath, ['--input-type=module', '-e', esm], app);
    if (hasRequire) {
      const cjs = `const m = require('${name}'); if (Object.keys(m).length === 0) throw new Error('empty ${name}');`;
      run(process.execPath, ['--input-type=commonjs', '-e', cjs], app);
    }
    console.log(`loaded ${name} with import${hasRequire ? ' and require' : ''}`);
  }

  // Types, as a Node16 ESM and a CommonJS consumer would see them.
  const typeImports = (list) =>
    list.map(({ name }, i) => `import * as m${i} from '${name}';\nvoid m${i};`).join('\n');
  writeFileSync(join(app, 'esm.mts'), `${typeImports(entries)}\n`);
  const dualEntries = entries.filter((entry) => entry.hasRequire);
  writeFileSync(join(app, 'cjs.cts'), `${typeImports(dualEntries)}\n`);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        noEmit: true,
        types: ['node'],
      },
      files: ['esm.mts', 'cjs.cts'],
    }),
  );
  run(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    app,
  );
  console.log(`typechecked ${entries.length} entries as ESM and CommonJS`);

  // An app that imports only core's main entry, bundled from the installed package.
  if (packages.some(({ manifest }) => manifest.name === '@qtp/core')) {
    const app = join(work, 'app');
    const core = await analyzeBundle({
      contents: `import * as core from '@qtp/core';\nconsole.log(Object.keys(core).length);`,
      resolveDir: app,
      platform: 'node',
    });
    if (core.heavy.length > 0) {
      throw new Error(
        `@qtp/core's main entry bundles ${core.heavy.join(', ')}; keep ${HEAVY_LIBRARIES.join(', ')} behind subpaths`,
      );
    }
    console.log(
      `@qtp/core main entry: ${core.bytes} bytes minified with ${core.packages.filter((name) => !name.startsWith('@qtp/')).join(', ')}, no heavy library`,
    );
  }
  // Each package's own code, its dependencies left out, as the installed main entry has it.
  for (const { manifest } of packages) {
    const installed = join(work, 'app', 'node_modules', manifest.name);
    const own = await analyzeBundle({
      contents: `export * from './${manifest.exports['.'].import.default.replace(/^\.\//, '')}';`,
      resolveDir: installed,
      platform: 'node',
      packages: 'external',
    });
    const size = `${own.bytes} bytes`;
    console.log(`main entry of ${manifest.name}: ${size} minified, dependencies excluded`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
