/**
 * ONNX models for `@qtp/strategy/ml`, behind their own subpath because `onnxruntime-node` is an
 * optional peer dependency: install it to use this entry.
 *
 * @example
 * ```ts
 * import { OnnxModel } from '@qtp/strategy/ml/onnx';
 * const onnx = await OnnxModel.load('model.onnx');
 * const model = await onnx.preload(pipeline.compute(series));
 * ```
 *
 * @module
 */

export type { OnnxModelOptions } from './onnx-model.js';
export { OnnxModel } from './onnx-model.js';
