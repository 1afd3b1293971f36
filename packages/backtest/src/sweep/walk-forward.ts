import { QtpError, ValidationError } from '@qtp/core';
import { computePerformance, type PerformanceReport } from '@qtp/portfolio';
import type { BacktestResult, BacktestTrade } from '../run-backtest.js';
import type { SweepExecutor } from './executor.js';
import { paramSetsOf, type SweepGrid } from './grid.js';
import { type Job, prepare, type SweepParams, timelineOf } from './job.js';
import { type SweepObjective, scorerOf } from './objective.js';
import { createJobRunner, workerCount } from './pool.js';
import type { SweepProgress } from './progress.js';
import { bestRun, type SweepRun, sweepRunOf } from './run-sweep.js';
import { type BacktestSpec, resolveSpec } from './spec.js';
import {
  TrainingRunner,
  type WalkForwardModel,
  type WalkForwardTraining,
} from './walk-forward-training.js';

/**
 * Options of {@link runWalkForward}.
 * @typeParam M - the model type of `training`, when given
 */
export interface WalkForwardOptions<M = unknown> extends BacktestSpec {
  /** The parameter sets tried in each training window: a grid or an explicit list. */
  readonly grid: SweepGrid | readonly SweepParams[];
  /** The length of each training (in-sample) window, in bars. */
  readonly trainBars: number;
  /** The length of each test (out-of-sample) window, in bars. */
  readonly testBars: number;
  /**
   * How far each window moves on from the previous one, in bars (default `testBars`, so the
   * test windows tile the data). At least `testBars`, so no bar is tested twice.
   */
  readonly stepBars?: number;
  /**
   * Whether every training window starts at the first bar and grows (anchored), rather than
   * sliding with a fixed length (default false).
   */
  readonly anchored?: boolean;
  /** How the best parameters of a training window are picked (default `sharpe`). */
  readonly objective?: SweepObjective;
  /** Worker threads, as for `runSweep` (default `os.availableParallelism()`). */
  readonly workers?: number;
  /**
   * Runs the backtests elsewhere instead of on this process's worker threads, as for `runSweep`
   * (`queueExecutor` of `@qtp/backtest/queue`); `workers` is then ignored, and so is the executor
   * with `training`. The result is the same.
   */
  readonly executor?: SweepExecutor;
  /** Called once before the first backtest and after each one, in this thread. */
  readonly onProgress?: (progress: SweepProgress) => void;
  /**
   * Retrains a model in each window: fitted on the training span's bars alone and traded by
   * the strategy it builds, in-sample and out-of-sample. The spec then names no `strategy` or
   * `strategyModule`, and every backtest runs in this thread (`workers` is not used).
   */
  readonly training?: WalkForwardTraining<M>;
}

/** A span of bars: the event times (close times) of its first and last bar, and its length. */
export interface WalkForwardSpan {
  /** The first bar's event time, epoch milliseconds. */
  readonly startMs: number;
  /** The last bar's event time, epoch milliseconds, inclusive. */
  readonly endMs: number;
  /** How many bars (distinct event times) it holds. */
  readonly bars: number;
}

/**
 * One window of a walk-forward run: where it trained and tested, what it chose, how it did.
 * @typeParam M - the model type of the run's `training`
 */
export interface WalkForwardWindow<M = unknown> {
  /** The window's position, from 0. */
  readonly index: number;
  /** The training (in-sample) span. */
  readonly train: WalkForwardSpan;
  /** The test (out-of-sample) span: it starts right after `train` ends. */
  readonly test: WalkForwardSpan;
  /** The parameter set chosen on the training span. */
  readonly params: SweepParams;
  /** The chosen set's score and performance on the training span. */
  readonly inSample: {
    /** The score by the objective. */
    readonly score: number;
    /** The analytics of the training run. */
    readonly performance: PerformanceReport;
  };
  /** The chosen set's score and full result on the test span. */
  readonly outOfSample: {
    /** The score by the objective. */
    readonly score: number;
    /** The test run's result, as `runBacktest` returns it. */
    readonly result: BacktestResult;
  };
  /** Every set's training score, in the order of `paramSets`; `null` where the run failed. */
  readonly scores: readonly (number | null)[];
  /** With `training`: the model fitted on the training span, and its metrics. */
  readonly model?: WalkForwardModel<M>;
}

/**
 * What {@link runWalkForward} returns.
 * @typeParam M - the model type of the run's `training`
 */
export interface WalkForwardResult<M = unknown> {
  /** The parameter sets tried in each window, which `scores` follow. */
  readonly paramSets: readonly SweepParams[];
  /** The windows, in time order. */
  readonly windows: readonly WalkForwardWindow<M>[];
  /** The test windows joined into one out-of-sample record. */
  readonly outOfSample: {
    /**
     * The test windows' equity curves chained: each window's curve is scaled to start where
     * the previous one ended, so the returns compound as if the capital carried over.
     */
    readonly equityCurve: {
      /** Epoch milliseconds, strictly increasing. */
      readonly times: readonly number[];
      /** Equity in the reporting currency, scaled to the first window's start. */
      readonly values: readonly number[];
    };
    /** The analytics of the chained curve and of every test window's round trips. */
    readonly performance: PerformanceReport;
    /** The round trips of every test window, in time order, as each window booked them. */
    readonly trades: readonly BacktestTrade[];
  };
}

interface WindowBounds {
  readonly train: readonly [number, number];
  readonly test: readonly [number, number];
}

function checkBars(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new ValidationError(field, 'be an integer of 1 or more', value);
  }
  return value;
}

/** Returns the windows as index ranges `[from, to)` of the timeline. */
function windowsOf(options: WalkForwardOptions<unknown>, bars: number): WindowBounds[] {
  const trainBars = checkBars('trainBars', options.trainBars);
  const testBars = checkBars('testBars', options.testBars);
  const stepBars = checkBars('stepBars', options.stepBars ?? testBars);
  if (stepBars < testBars) {
    throw new ValidationError('stepBars', `be at least testBars ${testBars}`, stepBars);
  }
  if (trainBars + testBars > bars) {
    throw new ValidationError(
      'trainBars',
      `leave room for one test window: trainBars + testBars must be at most the ${bars} bars of the data`,
      trainBars,
    );
  }
  const windows: WindowBounds[] = [];
  for (let start = 0; start + trainBars + testBars <= bars; start += stepBars) {
    const trainEnd = start + trainBars;
    windows.push({
      train: [options.anchored === true ? 0 : start, trainEnd],
      test: [trainEnd, trainEnd + testBars],
    });
  }
  return windows;
}

function spanOf(
  timeline: readonly number[],
  [from, to]: readonly [number, number],
): WalkForwardSpan {
  return { startMs: timeline[from]!, endMs: timeline[to - 1]!, bars: to - from };
}

function jobOf(params: SweepParams, span: WalkForwardSpan, window: number): Job {
  return { params, fromMs: span.startMs, toMs: span.endMs, window };
}

function stitch(results: readonly BacktestResult[]): { times: number[]; values: number[] } {
  const times: number[] = [];
  const values: number[] = [];
  for (const result of results) {
    const curve = result.equityCurve;
    if (curve.values.length === 0) continue;
    const previous = values.at(-1);
    const scale = previous === undefined ? 1 : previous / curve.values[0]!;
    curve.times.forEach((time, i) => {
      times.push(time);
      values.push(curve.values[i]! * scale);
    });
  }
  return { times, values };
}

/**
 * Runs a walk-forward analysis. The data is cut into windows of `trainBars` followed by
 * `testBars`; in each window every parameter set is backtested on the training span, the best
 * by the objective is chosen, and that set alone is backtested on the test span that follows,
 * which it has never seen. The test windows are disjoint and in time order, and their equity
 * curves are chained into one out-of-sample curve.
 *
 * Bars are counted on the data's timeline, one per distinct event time, so several instruments
 * are cut at the same times. Each backtest starts flat with the spec's balances and cold
 * indicators: a test window should be much longer than the strategy's warm-up. Training runs of
 * every window go to the worker pool together, then the test runs; the result is the same as
 * with `workers: 1` or with an `executor` that sends them to `qtp worker` processes.
 *
 * With `training`, each window first fits a model on its training bars alone; every backtest of
 * that window, in-sample and out-of-sample, trades a strategy built on that model, and the
 * window reports the model with its metrics. These runs go in this thread.
 *
 * @throws `ValidationError` of `@qtp/core` naming the field for a bad option, data too short
 * for one window, a window in which no parameter set ran, or a spec naming a strategy as well
 * as `training`
 * @throws `QtpError` of `@qtp/core` with the run's code when an out-of-sample run fails
 * @example
 * ```ts
 * import { runWalkForward } from '@qtp/backtest';
 *
 * const analysis = await runWalkForward({
 *   instruments: [xrp],
 *   data: [{ path: 'examples/data/XRPETH-5m.csv', instrumentId: xrp.id }],
 *   strategy: 'sma-crossover',
 *   params: { instrumentId: xrp.id, quantity: '100' },
 *   balances: { ETH: '1' },
 *   grid: { fastPeriod: [5, 10], slowPeriod: [20, 40] },
 *   trainBars: 300,
 *   testBars: 100,
 *   objective: 'sharpe',
 * });
 * for (const window of analysis.windows) console.log(window.params, window.outOfSample.score);
 * console.log(analysis.outOfSample.performance.totalReturn);
 * ```
 */
export async function runWalkForward<M = unknown>(
  options: WalkForwardOptions<M>,
): Promise<WalkForwardResult<M>> {
  const spec = resolveSpec(options, options.training === undefined ? 'named' : 'built');
  const sets = paramSetsOf(options.grid);
  const score = scorerOf(options.objective ?? 'sharpe');
  const prepared = await prepare(spec);
  const timeline = timelineOf(prepared.bars);
  const bounds = windowsOf(options, timeline.length);
  const spans = bounds.map((window) => ({
    train: spanOf(timeline, window.train),
    test: spanOf(timeline, window.test),
  }));

  const total = spans.length * (sets.length + 1);
  const onProgress = options.onProgress;
  let done = 0;
  const tick = () => {
    done++;
    onProgress?.({ done, total });
  };
  onProgress?.({ done, total });

  const trainJobs = spans.flatMap((span, w) => sets.map((params) => jobOf(params, span.train, w)));
  const training =
    options.training === undefined
      ? undefined
      : new TrainingRunner(options.training, spec, prepared, spans);
  const executor = options.executor;
  // A trained model cannot cross to another process: with `training` the runs stay here.
  const runner =
    training ??
    (executor === undefined
      ? createJobRunner(spec, workerCount(options.workers, trainJobs.length), prepared)
      : {
          run: (
            jobs: Parameters<SweepExecutor['run']>[1],
            onOutcome: Parameters<SweepExecutor['run']>[2],
          ) => executor.run(spec, jobs, onOutcome),
          close: async () => undefined,
        });
  try {
    const trainOutcomes = await runner.run(trainJobs, tick);
    const chosen = spans.map((_, w) => {
      const runs: SweepRun[] = sets.map((params, i) =>
        sweepRunOf(i, params, trainOutcomes[w * sets.length + i]!, score),
      );
      const best = bestRun(runs);
      if (best === null) {
        const first = runs[0] as Extract<SweepRun, { ok: false }>;
        throw new ValidationError(
          'grid',
          `hold a parameter set that runs in window ${w}; the first failed with: ${first.error.message}`,
          first.params,
        );
      }
      return { best, scores: runs.map((run) => (run.ok ? run.score : null)) };
    });

    const testOutcomes = await runner.run(
      spans.map((span, w) => jobOf(chosen[w]!.best.params, span.test, w)),
      tick,
    );
    const windows: WalkForwardWindow<M>[] = spans.map((span, w) => {
      const { best, scores } = chosen[w]!;
      const run = sweepRunOf(w, best.params, testOutcomes[w]!, score);
      if (!run.ok) {
        throw new QtpError(
          (run.error.code ?? 'INTERNAL') as ConstructorParameters<typeof QtpError>[0],
          `the out-of-sample run of window ${w} failed: ${run.error.message}`,
          false,
        );
      }
      return {
        index: w,
        train: span.train,
        test: span.test,
        params: best.params,
        inSample: { score: best.score, performance: best.result.performance },
        outOfSample: { score: run.score, result: run.result },
        scores,
        ...(training === undefined ? {} : { model: training.reportOf(w) }),
      };
    });

    const results = windows.map((window) => window.outOfSample.result);
    const equityCurve = stitch(results);
    const trades = results.flatMap((result) => result.trades);
    const performance = computePerformance(equityCurve, {
      trades: trades.map((trade) => ({
        entryTime: trade.entryTimeMs,
        exitTime: trade.exitTimeMs,
        pnl: trade.pnlInReportingCurrency,
      })),
    });
    return { paramSets: sets, windows, outOfSample: { equityCurve, performance, trades } };
  } finally {
    await runner.close();
  }
}
