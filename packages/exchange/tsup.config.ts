import { defineConfig } from 'tsup';

// The testing entry registers vitest suites, and vitest is ESM-only, so it ships as ESM alone.
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
    entry: {
      'binance/index': 'src/binance/index.ts',
      'binance-server/index': 'src/binance-server/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    external: ['ws'],
  },
  {
    entry: { 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    external: ['vitest', '@qtp/exchange'],
  },
]);
