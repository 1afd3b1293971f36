import { ValidationError } from '@qtp/core';
import ort from 'onnxruntime-node';
import type { FeatureMatrix } from '../feature-pipeline.js';
import type { Model } from '../model.js';

/** Options of {@link OnnxModel.load}. */
export interface OnnxModelOptions {
  /** The graph input fed with the features; default the graph's first input. */
  readonly inputName?: string;
  /** The graph output read as the score; default the graph's first output. */
  readonly outputName?: string;
  /** The number of features; default the last dimension of the input, when the graph fixes it. */
  readonly featureCount?: number;
}

/**
 * A model exported to ONNX (from scikit-learn, PyTorch, LightGBM, ...), run in-process with
 * `onnxruntime-node` on the CPU. The graph takes a float32 input of shape `[batch, features]` and
 * gives one score per row (`[batch]` or `[batch, 1]`); the first element of each row's output is
 * the score.
 *
 * ONNX Runtime runs sessions asynchronously while {@link Model.predict} is synchronous, so an
 * `OnnxModel` is not itself a `Model`: {@link OnnxModel.predictAsync} scores one row,
 * {@link OnnxModel.predictMatrix} scores a whole feature matrix in one run, and
 * {@link OnnxModel.preload} scores a matrix ahead and returns a `Model` serving those scores to a
 * `ModelStrategy` in a backtest.
 *
 * @example
 * ```ts
 * import { OnnxModel } from '@qtp/strategy/ml/onnx';
 * const onnx = await OnnxModel.load('model.onnx');
 * const score = await onnx.predictAsync([55.2, 0.004]);
 * const model = await onnx.preload(pipeline.compute(series)); // a Model for ModelStrategy
 * ```
 */
export class OnnxModel {
  /** The number of features each row holds. */
  readonly featureCount: number;
  /** The graph input fed with the features. */
  readonly inputName: string;
  /** The graph output read as the score. */
  readonly outputName: string;
  private readonly session: ort.InferenceSession;

  private constructor(
    session: ort.InferenceSession,
    inputName: string,
    outputName: string,
    featureCount: number,
  ) {
    this.session = session;
    this.inputName = inputName;
    this.outputName = outputName;
    this.featureCount = featureCount;
  }

  /**
   * Loads an ONNX model from a file path or its bytes and opens a CPU session on it.
   *
   * @throws {@link @qtp/core!ValidationError} naming `inputName` or `outputName` when the graph has
   *   no such input or output, or `featureCount` when it is not a positive integer or the graph
   *   leaves the feature dimension open and no count is given
   * @example
   * ```ts
   * import { readFileSync } from 'node:fs';
   * import { OnnxModel } from '@qtp/strategy/ml/onnx';
   * const onnx = await OnnxModel.load(readFileSync('model.onnx'));
   * ```
   */
  static async load(
    source: string | Uint8Array,
    options: OnnxModelOptions = {},
  ): Promise<OnnxModel> {
    const session = await (typeof source === 'string'
      ? ort.InferenceSession.create(source)
      : ort.InferenceSession.create(source));
    try {
      const inputName = options.inputName ?? session.inputNames[0];
      if (inputName === undefined || !session.inputNames.includes(inputName)) {
        throw new ValidationError(
          'inputName',
          `be one of ${session.inputNames.join(', ')}`,
          inputName,
        );
      }
      const outputName = options.outputName ?? session.outputNames[0];
      if (outputName === undefined || !session.outputNames.includes(outputName)) {
        throw new ValidationError(
          'outputName',
          `be one of ${session.outputNames.join(', ')}`,
          outputName,
        );
      }
      const meta = session.inputMetadata[session.inputNames.indexOf(inputName)];
      const shape = meta?.isTensor ? meta.shape : [];
      const last = shape[shape.length - 1];
      const featureCount = options.featureCount ?? (typeof last === 'number' ? last : undefined);
      if (featureCount === undefined || !Number.isInteger(featureCount) || featureCount < 1) {
        throw new ValidationError(
          'featureCount',
          'be a positive integer, given or fixed by the graph input',
          featureCount,
        );
      }
      return new OnnxModel(session, inputName, outputName, featureCount);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /**
   * Returns the score of one row of features.
   *
   * @throws {@link @qtp/core!ValidationError} naming `features.length` when it is not `featureCount`
   * @example
   * ```ts
   * const p = await onnx.predictAsync([55.2, 0.004]);
   * ```
   */
  async predictAsync(features: ArrayLike<number>): Promise<number> {
    if (features.length !== this.featureCount) {
      throw new ValidationError('features.length', `equal ${this.featureCount}`, features.length);
    }
    const scores = await this.run(Float32Array.from(features), 1);
    return scores[0]!;
  }

  /**
   * Returns the score of every row of a feature matrix, in one session run; a row with a NaN
   * feature (warm-up) scores NaN.
   *
   * @throws {@link @qtp/core!ValidationError} naming `matrix.columns.length` when it is not
   *   `featureCount`
   * @example
   * ```ts
   * const scores = await onnx.predictMatrix(pipeline.compute(series));
   * ```
   */
  async predictMatrix(matrix: FeatureMatrix): Promise<Float64Array> {
    const n = this.featureCount;
    if (matrix.columns.length !== n) {
      throw new ValidationError('matrix.columns.length', `equal ${n}`, matrix.columns.length);
    }
    const complete: number[] = [];
    for (let i = 0; i < matrix.length; i++) {
      if (matrix.columns.every((column) => !Number.isNaN(column[i]!))) complete.push(i);
    }
    const scores = new Float64Array(matrix.length).fill(Number.NaN);
    if (complete.length === 0) return scores;
    const input = new Float32Array(complete.length * n);
    complete.forEach((i, r) => {
      for (let j = 0; j < n; j++) input[r * n + j] = matrix.columns[j]![i]!;
    });
    const out = await this.run(input, complete.length);
    complete.forEach((i, r) => {
      scores[i] = out[r]!;
    });
    return scores;
  }

  /**
   * Scores every row of `matrix` ahead and returns a synchronous {@link Model} that serves those
   * scores: `predict` looks its row up by the feature values, so a `ModelStrategy` fed the
   * same bars the matrix came from trades on the ONNX scores.
   *
   * @throws {@link @qtp/core!ValidationError} from `predict`, naming `features`, for a row the
   *   matrix did not hold
   * @example
   * ```ts
   * const model = await onnx.preload(pipeline.compute(series));
   * const strategy = new ModelStrategy({ id: 'onnx', params, features: pipeline, model });
   * ```
   */
  async preload(matrix: FeatureMatrix): Promise<Model> {
    const scores = await this.predictMatrix(matrix);
    const table = new Map<string, number>();
    for (let i = 0; i < matrix.length; i++) {
      if (Number.isNaN(scores[i]!)) continue;
      table.set(rowKey(matrix.columns.map((column) => column[i]!)), scores[i]!);
    }
    return {
      featureCount: this.featureCount,
      predict: (features) => {
        const score = table.get(rowKey(Array.from(features)));
        if (score === undefined) {
          throw new ValidationError(
            'features',
            'be a row of the preloaded matrix',
            Array.from(features),
          );
        }
        return score;
      },
    };
  }

  /**
   * Releases the session's native resources; the model cannot predict afterwards.
   *
   * @example
   * ```ts
   * await onnx.dispose();
   * ```
   */
  async dispose(): Promise<void> {
    await this.session.release();
  }

  private async run(input: Float32Array, rows: number): Promise<Float32Array | Float64Array> {
    const feeds = { [this.inputName]: new ort.Tensor('float32', input, [rows, this.featureCount]) };
    const result = await this.session.run(feeds);
    const output = result[this.outputName]!;
    const data = output.data;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new ValidationError(`output ${this.outputName}`, 'be a float tensor', output.type);
    }
    const width = data.length / rows;
    if (!Number.isInteger(width) || width < 1) {
      throw new ValidationError(
        `output ${this.outputName}.length`,
        `be a multiple of ${rows}`,
        data.length,
      );
    }
    if (width === 1) return data;
    const firsts = new Float64Array(rows);
    for (let r = 0; r < rows; r++) firsts[r] = data[r * width]!;
    return firsts;
  }
}

function rowKey(values: readonly number[]): string {
  return values.join(',');
}
