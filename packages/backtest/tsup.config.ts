import { defineConfig } from 'tsup';

export default defineConfig({
  // The CLI and the sweep worker are entries of their own: `bin/qtp.js` loads the first, and
  // worker threads start the second from the file beside the library's code.
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli/main.ts',
    'sweep-worker': 'src/sweep/worker.ts',
    queue: 'src/queue/index.ts',
    charts: 'src/charts/index.ts',
  },
  external: ['@qtp/messaging', 'ioredis', 'amqplib'],
  format: ['esm', 'cjs'],
  dts: {
    entry: { index: 'src/index.ts', queue: 'src/queue/index.ts', charts: 'src/charts/index.ts' },
  },
  clean: true,
  sourcemap: true,
  // Gives the CommonJS build import.meta.url, by which the pool finds the worker's file.
  shims: true,
  target: 'es2022',
});
