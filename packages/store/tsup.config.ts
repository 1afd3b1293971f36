import { defineConfig } from 'tsup';

// The main entry holds no driver; `postgres` and `redis` load their clients (optional peers),
// and `testing` registers vitest suites, which are ESM-only, so it ships as ESM alone.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'postgres/index': 'src/postgres/index.ts',
      'redis/index': 'src/redis/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    external: ['pg', 'ioredis'],
    // The migrations folder is found from the module's own URL, which CJS has only through a shim.
    shims: true,
  },
  {
    entry: { 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    external: ['vitest', 'fast-check'],
  },
]);
