import type { BacktestResult } from '../run-backtest.js';
import type { SweepExecutor } from './executor.js';
import { paramSetsOf, type SweepGrid } from './grid.js';
import type { JobOutcome, SweepParams, SweepRunError } from './job.js';
import { type SweepObjective, scorerOf } from './objective.js';
import { createJobRunner, workerCount } from './pool.js';
import type { SweepProgress } from './progress.js';
import { type BacktestSpec, resolveSpec } from './spec.js';

/** Options of {@link runSweep}: a backtest spec, the parameters to try and how to run them. */
export interface SweepOptions extends BacktestSpec {
  /**
   * The parameter sets to run: a grid (`{ fastPeriod: [5, 10, 20], slowPeriod: [50, 100] }`,
   * every combination, the last name varying fastest) or an explicit list of sets. Each set
   * overrides `params`.
   */
  readonly grid: SweepGrid | readonly SweepParams[];
  /**
   * How many worker threads to run backtests on (default `os.availableParallelism()`, never
   * more than there are runs). `1` runs them one after the other in this thread.
   */
  readonly workers?: number;
  /**
   * Runs the backtests elsewhere instead of on this process's worker threads, such as on a
   * message queue served by `qtp worker` processes (`queueExecutor` of `@qtp/backtest/queue`);
   * `workers` is then ignored. The results are the same.
   */
  readonly executor?: SweepExecutor;
  /** How runs are ranked for `best` (default `sharpe`). */
  readonly objective?: SweepObjective;
  /** Called once before the first run and after each run, in this thread. */
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** A run of a sweep that finished, with its result and its score by the objective. */
export interface SweepRunSuccess {
  /** Always true. */
  readonly ok: true;
  /** The run's position in the sweep's list of parameter sets. */
  readonly index: number;
  /** The run's own parameters (without the shared `params`). */
  readonly params: SweepParams;
  /** The backtest's result, as `runBacktest` returns it. */
  readonly result: BacktestResult;
  /** The score by the objective; `-Infinity` when the metric is undefined. */
  readonly score: number;
}

/** A run of a sweep that failed, such as one whose parameters the strategy refused. */
export interface SweepRunFailure {
  /** Always false. */
  readonly ok: false;
  /** The run's position in the sweep's list of parameter sets. */
  readonly index: number;
  /** The run's own parameters. */
  readonly params: SweepParams;
  /** Why it failed. */
  readonly error: SweepRunError;
}

/** One run of a sweep: finished or failed. */
export type SweepRun = SweepRunSuccess | SweepRunFailure;

/** What {@link runSweep} returns. */
export interface SweepResult {
  /** Every run, in the order of the parameter sets, whatever order they finished in. */
  readonly runs: readonly SweepRun[];
  /** The finished run with the highest score (the first on a tie), or `null` when none finished. */
  readonly best: SweepRunSuccess | null;
}

/** Returns the sweep run of an outcome, scored. */
export function sweepRunOf(
  index: number,
  params: SweepParams,
  outcome: JobOutcome,
  score: (result: BacktestResult) => number,
): SweepRun {
  if (!outcome.ok) return { ok: false, index, params, error: outcome.error };
  const result = outcome.result;
  return { ok: true, index, params, result, score: score(result) };
}

/** Returns the finished run with the highest score, the first one on a tie. */
export function bestRun(runs: readonly SweepRun[]): SweepRunSuccess | null {
  let best: SweepRunSuccess | null = null;
  for (const run of runs) {
    if (run.ok && (best === null || run.score > best.score)) best = run;
  }
  return best;
}

/**
 * Runs one backtest per parameter set, in parallel on worker threads, and returns every run in
 * the order of the sets with the best by the objective. The results are exactly those of
 * running the sets one after the other in this thread (`workers: 1`): each run has its own
 * engine, clock and seed, and outcomes are put back in order.
 *
 * Each worker loads the strategy itself, by name from `createStrategyRegistry()` of
 * `@qtp/strategy` or from `strategyModule`, and reads the bar files itself (once per worker),
 * since neither a function nor a class instance can cross a thread boundary. A run that fails
 * (parameters the strategy refuses, a hook that throws) is kept as a failed run; the sweep goes
 * on.
 *
 * @throws `ValidationError` of `@qtp/core` naming the field when an option is invalid, a bar
 * file cannot be read, or the strategy module exports no Strategy class
 * @throws `QtpError` of `@qtp/core` with code `INTERNAL` when a worker thread dies
 * @example
 * ```ts
 * import { runSweep } from '@qtp/backtest';
 * import { Instrument, instrumentId } from '@qtp/core';
 *
 * const id = instrumentId('XRPETH', 'BINANCE');
 * const xrp = new Instrument({
 *   id, baseAsset: 'XRP', quoteAsset: 'ETH', priceIncrement: '0.00000001', sizeIncrement: '1',
 *   takerFee: '0.001',
 * });
 * const sweep = await runSweep({
 *   instruments: [xrp],
 *   data: [{ path: 'examples/data/XRPETH-5m.csv', instrumentId: id }],
 *   strategy: 'sma-crossover',
 *   params: { instrumentId: id, quantity: '100' },
 *   balances: { ETH: '1' },
 *   grid: { fastPeriod: [5, 10, 20], slowPeriod: [50, 100] },
 *   onProgress: ({ done, total }) => console.log(`${done}/${total}`),
 * });
 * console.log(sweep.best?.params, sweep.best?.result.performance.sharpeRatio);
 * ```
 */
export async function runSweep(options: SweepOptions): Promise<SweepResult> {
  const spec = resolveSpec(options);
  const sets = paramSetsOf(options.grid);
  const score = scorerOf(options.objective ?? 'sharpe');
  const size = workerCount(options.workers, sets.length);
  const onProgress = options.onProgress;
  const total = sets.length;
  onProgress?.({ done: 0, total });
  let done = 0;
  const executor = options.executor;
  const runner =
    executor === undefined
      ? createJobRunner(spec, size)
      : {
          run: (
            jobs: Parameters<SweepExecutor['run']>[1],
            onOutcome: Parameters<SweepExecutor['run']>[2],
          ) => executor.run(spec, jobs, onOutcome),
          close: async () => undefined,
        };
  try {
    const outcomes = await runner.run(
      sets.map((params) => ({ params })),
      () => {
        done++;
        onProgress?.({ done, total });
      },
    );
    const runs = outcomes.map((outcome, index) => sweepRunOf(index, sets[index]!, outcome, score));
    return { runs, best: bestRun(runs) };
  } finally {
    await runner.close();
  }
}
