import { defineConfig } from 'tsup';

const subpaths = ['resilience', 'config', 'observability', 'cache', 'repository'];

// The main entry and each subpath are separate bundles; the subpaths import the kernel through
// `@qtp/core` (external) so an error class or clock exists once in a host, whichever format it
// loads. The testing entry registers vitest suites, and vitest is ESM-only, so it ships as ESM alone.
export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
  },
  {
    entry: Object.fromEntries(subpaths.map((name) => [`${name}/index`, `src/${name}/index.ts`])),
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    external: ['@qtp/core'],
  },
  {
    entry: { 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    external: ['vitest', 'fast-check', '@qtp/core'],
  },
]);
