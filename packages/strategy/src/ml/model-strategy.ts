import { type Bar, Decimal, ValidationError } from '@qtp/core';
import { z } from 'zod';
import { Strategy, type StrategyOptions } from '../framework/strategy.js';
import { instrumentIdParam, quantityParam } from '../strategies/params.js';
import { FeaturePipeline, type FeatureStream } from './feature-pipeline.js';
import type { FeatureSpec } from './feature-spec.js';
import type { Model } from './model.js';

/**
 * The parameters of {@link ModelStrategy}: `instrumentId` (`SYMBOL.VENUE`), `quantity` (the full
 * position, a decimal string > 0), `buyThreshold` and `sellThreshold` (scores; a score at or
 * above `buyThreshold` goes long, at or below `sellThreshold` goes flat, or short with
 * `allowShort`; defaults 0.55 and 0.45, for a probability), `allowShort` (default false) and
 * `sizing`: `'fixed'` (default) trades the full `quantity`, `'score'` scales it by how far the
 * score is past its threshold, `(score - buy) / (1 - buy)` long or `(sell - score) / sell` short,
 * capped at 1 (for scores in 0..1).
 */
export const modelStrategySchema = z
  .strictObject({
    instrumentId: instrumentIdParam,
    quantity: quantityParam,
    buyThreshold: z.number().finite().default(0.55),
    sellThreshold: z.number().finite().default(0.45),
    allowShort: z.boolean().default(false),
    sizing: z.union([z.literal('fixed'), z.literal('score')]).default('fixed'),
  })
  .superRefine((params, context) => {
    if (params.sellThreshold > params.buyThreshold) {
      context.addIssue({
        code: 'custom',
        path: ['sellThreshold'],
        input: params.sellThreshold,
        message: `be at most buyThreshold ${params.buyThreshold}`,
      });
    }
  });

/** The checked parameters of {@link ModelStrategy}. */
export type ModelStrategyParams = z.output<typeof modelStrategySchema>;

/** Options of {@link ModelStrategy}: the strategy's id and parameters, the model and its features. */
export interface ModelStrategyOptions extends StrategyOptions {
  /** The trained model; its `featureCount` must equal the number of features. */
  readonly model: Model;
  /** The features the model was trained on, as declarations or a pipeline. */
  readonly features: readonly FeatureSpec[] | FeaturePipeline;
}

/**
 * Trades a model's score: on each closed bar of its instrument it updates the feature stream
 * (the same numbers the model was trained on in batch), asks the model for a score and moves
 * the position with `targetPosition`: long at or above `buyThreshold`, flat (or short) at or
 * below `sellThreshold`, unchanged between. The same code runs in a backtest, on paper and live.
 *
 * @example
 * ```ts
 * import { LinearModel, ModelStrategy } from '@qtp/strategy/ml';
 * const strategy = new ModelStrategy({
 *   id: 'rsi-logit',
 *   params: { instrumentId: 'XRPETH.BINANCE', quantity: '100', buyThreshold: 0.6, sellThreshold: 0.4 },
 *   features: [{ kind: 'indicator', indicator: 'rsi' }],
 *   model: new LinearModel({ link: 'logistic', weights: [-0.1], intercept: 5 }),
 * });
 * ```
 */
export class ModelStrategy extends Strategy<ModelStrategyParams> {
  /** The model the strategy asks. */
  readonly model: Model;
  /** The feature pipeline the model reads. */
  readonly pipeline: FeaturePipeline;
  readonly #stream: FeatureStream;
  #lastScore = Number.NaN;

  /**
   * Creates the strategy.
   * @throws {@link @qtp/core!ValidationError} naming `params.<field>` for a bad parameter, or
   *   `model.featureCount` when it differs from the number of features
   */
  constructor(options: ModelStrategyOptions) {
    super(options, { schema: modelStrategySchema });
    this.model = options.model;
    this.pipeline =
      options.features instanceof FeaturePipeline
        ? options.features
        : new FeaturePipeline(options.features);
    if (options.model.featureCount !== this.pipeline.names.length) {
      throw new ValidationError(
        'model.featureCount',
        `equal the number of features ${this.pipeline.names.length}`,
        options.model.featureCount,
      );
    }
    this.#stream = this.pipeline.stream();
  }

  /** The score of the last bar, NaN before the features are ready. */
  get lastScore(): number {
    return this.#lastScore;
  }

  /** Scores the bar and moves the position. */
  protected override onBar(bar: Bar): void {
    const { instrumentId, quantity, buyThreshold, sellThreshold, allowShort, sizing } = this.params;
    if (bar.instrumentId !== instrumentId) return;
    const row = this.#stream.update(bar);
    if (!this.#stream.isReady) return;
    const score = this.model.predict(row);
    this.#lastScore = score;
    if (!Number.isFinite(score)) return;
    const full = new Decimal(quantity);
    if (score >= buyThreshold) {
      const share =
        sizing === 'fixed' ? 1 : Math.min(1, (score - buyThreshold) / (1 - buyThreshold));
      this.targetPosition(instrumentId, full.times(share.toPrecision(12)));
    } else if (score <= sellThreshold) {
      if (!allowShort) {
        this.targetPosition(instrumentId, '0');
        return;
      }
      const share = sizing === 'fixed' ? 1 : Math.min(1, (sellThreshold - score) / sellThreshold);
      this.targetPosition(instrumentId, full.times(share.toPrecision(12)).negated());
    }
  }
}
