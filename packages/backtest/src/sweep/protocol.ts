import type { ErrorData, Job, JobOutcome } from './job.js';

/** What the pool sends a worker: one job, in the slot its outcome goes back to. */
export interface PoolMessage {
  readonly slot: number;
  readonly job: Job;
}

/**
 * What a worker answers: the job's outcome, or `fatal` when the spec itself cannot run (a bar
 * file, an instrument or the strategy module is bad), which ends the whole sweep.
 */
export type WorkerMessage =
  | { readonly slot: number; readonly outcome: JobOutcome }
  | { readonly slot: number; readonly fatal: ErrorData };
