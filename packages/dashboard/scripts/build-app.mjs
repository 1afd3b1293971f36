// Bundles the web app (app/main.ts, the charts of @qtp/backtest/charts and the styles) into
// dist/app/, minified, with no request to anything but the dashboard's own server at run time.
// Returns the gzipped sizes.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');

// For a browser, from the workspace's TypeScript sources (the `@qtp/source` condition), so the
// charts are the tearsheet's own code whether or not @qtp/backtest was built.
const options = {
  entryPoints: { app: join(root, 'app', 'main.ts') },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['@qtp/source'],
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
};

/** Builds the app into `outdir` (default the package's dist/app) and returns its file sizes. */
export async function buildApp(outdir = join(root, 'dist', 'app')) {
  mkdirSync(outdir, { recursive: true });
  await build({ ...options, outdir });
  copyFileSync(join(root, 'app', 'index.html'), join(outdir, 'index.html'));
  const sizes = {};
  for (const name of ['index.html', 'app.js', 'app.css']) {
    const body = readFileSync(join(outdir, name));
    sizes[name] = { bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length };
  }
  return sizes;
}

/** Returns the source files the app bundle is made of, relative to the workspace root. */
export async function appSources() {
  const result = await build({ ...options, outdir: root, write: false, metafile: true });
  return Object.keys(result.metafile.inputs);
}

if (process.argv[1] === import.meta.filename) {
  const sizes = await buildApp();
  const total = Object.values(sizes).reduce((sum, size) => sum + size.gzipped, 0);
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`${name}: ${size.bytes} bytes, ${size.gzipped} gzipped`);
  }
  console.log(`web app: ${total} bytes gzipped`);
}
