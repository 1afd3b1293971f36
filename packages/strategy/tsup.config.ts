import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'ml/index': 'src/ml/index.ts',
    'ml/arrow/index': 'src/ml/arrow/index.ts',
    'ml/parquet/index': 'src/ml/parquet/index.ts',
    'ml/onnx/index': 'src/ml/onnx/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
