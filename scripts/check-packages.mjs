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
    run(
      join(root, 'node_modules/.bin/attw'),
      [tarball, '--profile', 'node16', '--format', 'table-flipped'],
      root,
    );
    tarballs.push(tarball);
    console.log(`packed ${manifest.name}@${manifest.version}`);
  }

  const app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'qtp-pack-check', private: true }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], app);

  const entries = packages.flatMap(({ manifest }) =>
    Object.keys(manifest.exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`)),
  );
  for (const entry of entries) {
    const esm = `import * as m from '${entry}'; if (Object.keys(m).length === 0) throw new Error('empty ${entry}');`;
    const cjs = `const m = require('${entry}'); if (Object.keys(m).length === 0) throw new Error('empty ${entry}');`;
    run(process.execPath, ['--input-type=module', '-e', esm], app);
    run(process.execPath, ['--input-type=commonjs', '-e', cjs], app);
    console.log(`loaded ${entry} with import and require`);
  }

  // Types, as a Node16 ESM and a CommonJS consumer would see them.
  const typeImports = entries
    .map((entry, i) => `import * as m${i} from '${entry}';\nvoid m${i};`)
    .join('\n');
  writeFileSync(join(app, 'esm.mts'), `${typeImports}\n`);
  writeFileSync(join(app, 'cjs.cts'), `${typeImports}\n`);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        strict: true,
        noEmit: true,
        types: [],
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
