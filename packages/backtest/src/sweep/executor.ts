import { type Job, type JobOutcome, type Prepared, prepare, runJob } from './job.js';
import type { ResolvedSpec } from './spec.js';

/**
 * Runs the backtests of a sweep somewhere other than this process's worker threads, such as on
 * a message queue (`queueExecutor` of `@qtp/backtest/queue`). `run` returns the outcomes in job
 * order, whatever order they finish in, and calls `onOutcome` once per job as it finishes.
 */
export interface SweepExecutor {
  run(
    spec: ResolvedSpec,
    jobs: readonly Job[],
    onOutcome: (index: number, outcome: JobOutcome) => void,
  ): Promise<JobOutcome[]>;
}

/**
 * Runs one backtest of a sweep in this process, as a remote worker does: the spec's bars,
 * instruments and strategy are loaded once per distinct spec and kept for the next job.
 *
 * @example
 * ```ts
 * import { createSweepTaskRunner } from '@qtp/backtest';
 * const runTask = createSweepTaskRunner();
 * const outcome = await runTask(spec, { params: { fastPeriod: 5, slowPeriod: 20 } });
 * ```
 */
export function createSweepTaskRunner(): (spec: ResolvedSpec, job: Job) => Promise<JobOutcome> {
  let loaded: { key: string; prepared: Promise<Prepared> } | undefined;
  return async (spec, job) => {
    const key = JSON.stringify(spec);
    if (loaded?.key !== key) loaded = { key, prepared: prepare(spec) };
    return runJob(spec, await loaded.prepared, job);
  };
}
