import type { Bar } from '@qtp/core';
import type { Strategy } from '@qtp/strategy';
import { eventTimeOf } from '../data/merge.js';
import { type Job, type JobOutcome, type Prepared, runJob } from './job.js';
import type { JobRunner } from './pool.js';
import type { ResolvedSpec } from './spec.js';

/** A span of bars handed to {@link WalkForwardTraining}: its bars and where it lies. */
export interface WalkForwardTrainingWindow {
  /** The window's position, from 0. */
  readonly index: number;
  /** The first bar's event time, epoch milliseconds. */
  readonly startMs: number;
  /** The last bar's event time, epoch milliseconds, inclusive. */
  readonly endMs: number;
}

/**
 * How `runWalkForward` retrains a model in each window: `train` fits a model on the training
 * span's bars alone, `strategy` builds the strategy that trades it (once per backtest, in-sample
 * for every parameter set and out-of-sample for the chosen one), and `evaluate`, when given,
 * scores the fitted model on a span's bars for the result.
 *
 * The model never crosses a thread boundary, so the backtests of a run with training go one
 * after another in the calling thread.
 *
 * @typeParam M - the model type `train` returns
 * @example
 * ```ts
 * import type { WalkForwardTraining } from '@qtp/backtest';
 * import { BarSeries } from '@qtp/core';
 * import {
 *   FeaturePipeline, type FeatureSpec, forwardReturns, type LinearModel, ModelStrategy,
 *   trainingSet, trainLogisticModel,
 * } from '@qtp/strategy/ml';
 *
 * const features: FeatureSpec[] = [{ kind: 'indicator', indicator: 'rsi' }];
 * const pipeline = new FeaturePipeline(features);
 * const training: WalkForwardTraining<LinearModel> = {
 *   train: (bars) => {
 *     const series = BarSeries.fromBars(bars);
 *     const ups = Array.from(forwardReturns(series.close, 1), (r) => (Number.isNaN(r) ? r : r > 0 ? 1 : 0));
 *     const set = trainingSet(pipeline.compute(series), ups);
 *     return trainLogisticModel(set.rows, set.targets);
 *   },
 *   strategy: (model, id, params) => new ModelStrategy({ id, params, model, features }),
 * };
 * ```
 */
export interface WalkForwardTraining<M> {
  /** Returns a model fitted on the training span's bars, in time order; it sees no later bar. */
  train(bars: readonly Bar[], window: WalkForwardTrainingWindow): M;
  /**
   * Returns a new strategy trading `model`, with the strategy id and the run's parameters (the
   * spec's `params` merged with the parameter set tried).
   */
  strategy(model: M, id: string, params: Readonly<Record<string, unknown>>): Strategy<object>;
  /**
   * Returns named metrics of `model` on a span's bars, such as its accuracy; called on the
   * training span and on the test span after the model is fixed.
   */
  evaluate?(
    model: M,
    bars: readonly Bar[],
    window: WalkForwardTrainingWindow,
  ): Readonly<Record<string, number>>;
}

/** The model a window trained and its metrics, in a walk-forward result. */
export interface WalkForwardModel<M> {
  /** The model fitted on the window's training span. */
  readonly model: M;
  /** `evaluate` on the training span; empty without `evaluate`. */
  readonly inSample: Readonly<Record<string, number>>;
  /** `evaluate` on the test span; empty without `evaluate`. */
  readonly outOfSample: Readonly<Record<string, number>>;
}

/** A window's spans as times, as the runner cuts them. */
interface Spans {
  readonly train: { readonly startMs: number; readonly endMs: number };
  readonly test: { readonly startMs: number; readonly endMs: number };
}

function barsBetween(bars: readonly Bar[], fromMs: number, toMs: number): Bar[] {
  return bars.filter((bar) => {
    const time = eventTimeOf(bar);
    return time >= fromMs && time <= toMs;
  });
}

/**
 * A job runner that trades each window's own model: it fits the model of a window on the
 * window's training bars the first time a job of that window comes, and runs every job in this
 * thread with a strategy built on that model.
 */
export class TrainingRunner<M> implements JobRunner {
  readonly #training: WalkForwardTraining<M>;
  readonly #spec: ResolvedSpec;
  readonly #prepared: Prepared;
  readonly #spans: readonly Spans[];
  readonly #models = new Map<number, M>();

  constructor(
    training: WalkForwardTraining<M>,
    spec: ResolvedSpec,
    prepared: Prepared,
    spans: readonly Spans[],
  ) {
    this.#training = training;
    this.#spec = spec;
    this.#prepared = prepared;
    this.#spans = spans;
  }

  #window(w: number, span: Spans['train']): WalkForwardTrainingWindow {
    return { index: w, startMs: span.startMs, endMs: span.endMs };
  }

  /** Returns the model of window `w`, fitting it on the window's training bars alone once. */
  modelOf(w: number): M {
    if (!this.#models.has(w)) {
      const span = this.#spans[w]!.train;
      const model = this.#training.train(
        barsBetween(this.#prepared.bars, span.startMs, span.endMs),
        this.#window(w, span),
      );
      this.#models.set(w, model);
    }
    return this.#models.get(w) as M;
  }

  /** Returns window `w`'s model with `evaluate` on its training and its test span. */
  reportOf(w: number): WalkForwardModel<M> {
    const model = this.modelOf(w);
    const metricsOf = (span: Spans['train']) =>
      this.#training.evaluate?.(
        model,
        barsBetween(this.#prepared.bars, span.startMs, span.endMs),
        this.#window(w, span),
      ) ?? {};
    const spans = this.#spans[w]!;
    return { model, inSample: metricsOf(spans.train), outOfSample: metricsOf(spans.test) };
  }

  async run(
    jobs: readonly Job[],
    onOutcome: (index: number, outcome: JobOutcome) => void,
  ): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    for (const [index, job] of jobs.entries()) {
      const w = job.window ?? 0;
      const model = this.modelOf(w);
      const outcome = await runJob(this.#spec, this.#prepared, job, (id, params) =>
        this.#training.strategy(model, id, params),
      );
      outcomes.push(outcome);
      onOutcome(index, outcome);
    }
    return outcomes;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
