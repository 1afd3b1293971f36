import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // Gives the CommonJS build import.meta.url, by which the server finds the web app beside it.
  shims: true,
  target: 'es2022',
});
