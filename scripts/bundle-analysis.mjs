// Bundles a small entry with esbuild and reports what ended up in the output: its minified size,
// the heavy libraries whose code it holds and the Node built-ins it still imports. Shared by
// `check:packages` (built packages, as installed) and the browser-bundle test (sources).
import { builtinModules } from 'node:module';
import { build } from 'esbuild';

/** Libraries that must stay behind `@qtp/core`'s subpaths, never in a main entry. */
export const HEAVY_LIBRARIES = [
  'cockatiel',
  'bottleneck',
  'pino',
  'prom-client',
  '@opentelemetry',
  'lru-cache',
  'tsyringe',
  'reflect-metadata',
  'ws',
  'ioredis',
  'pg',
  'amqplib',
];

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

// The package a file of node_modules belongs to: `pino` or `@opentelemetry/api`.
function packageOf(path) {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const [first, second] = path.slice(at + 'node_modules/'.length).split('/');
  return first?.startsWith('@') ? `${first}/${second}` : first;
}

function isHeavy(name) {
  return HEAVY_LIBRARIES.some((heavy) => name === heavy || name.startsWith(`${heavy}/`));
}

/**
 * Bundles `contents` (an ES module) as if it were a file in `resolveDir`, minified, and returns
 * `{ bytes, heavy, builtins, packages }`: the output size, the heavy libraries and Node built-ins
 * in it (by import specifier for externals, by package for bundled code) and every bundled
 * third-party package. Built-ins are left external so a bundle for the browser that needs one is
 * reported rather than failing to build.
 */
export async function analyzeBundle({
  contents,
  resolveDir,
  platform = 'browser',
  conditions = [],
  external = [],
  packages: packageMode = 'bundle',
}) {
  const seenBuiltins = new Set();
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform,
    conditions,
    external,
    packages: packageMode,
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'node-builtins',
        setup(pluginBuild) {
          pluginBuild.onResolve({ filter: /.*/ }, (args) => {
            if (!builtins.has(args.path)) return undefined;
            seenBuiltins.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const [output] = Object.values(result.metafile.outputs);
  const bundled = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => packageOf(path))
    .filter((name) => name !== undefined);
  const packages = [...new Set(bundled)].sort();
  const keptImports = output.imports.map((entry) => entry.path);
  return {
    bytes: result.outputFiles[0].contents.byteLength,
    heavy: [...new Set([...packages, ...keptImports].filter(isHeavy))].sort(),
    builtins: [...new Set(keptImports.filter((path) => builtins.has(path)))].sort(),
    resolvedBuiltins: [...seenBuiltins].sort(),
    packages,
  };
}
