// Checks that every publishable package works as a user would install it: packs each with pnpm,
// lints the package with publint and its types with attw, installs the tarballs into a fresh npm
// project, then loads every entry with `import` and `require` and typechecks an import of it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
  // The testing entries need their optional peers, as a user's test setup would have them.
  const testPeers = ['vitest@^4', 'fast-check@^4', '@types/node@^20'];
  // The subpaths' libraries are optional peers, installed by a host that imports those subpaths.
  const optionalPeers = packages.flatMap(({ manifest }) =>
    Object.entries(manifest.peerDependencies ?? {})
      .filter(([name]) => manifest.peerDependenciesMeta?.[name]?.optional === true)
      .filter(([name]) => !['vitest', 'fast-check'].includes(name) && !name.startsWith('@qtp/'))
      .map(([name, range]) => `${name}@${range}`),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...tarballs,
      ...testPeers,
      ...new Set(optionalPeers),
    ],
    app,
  );

  const entries = packages.flatMap(({ manifest }) =>
    Object.entries(manifest.exports)
      .filter(([key]) => key !== './package.json')
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
} finally {
  rmSync(work, { recursive: true, force: true });
}
