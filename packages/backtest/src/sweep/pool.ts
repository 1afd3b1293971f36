import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { QtpError, ValidationError } from '@qtp/core';
import { errorFromData, type Job, type JobOutcome, type Prepared, prepare, runJob } from './job.js';
import type { PoolMessage, WorkerMessage } from './protocol.js';
import type { ResolvedSpec } from './spec.js';

/** Runs jobs of one spec, serially in this thread or in a pool of worker threads. */
export interface JobRunner {
  /**
   * Runs the jobs and returns their outcomes in job order, whatever order they finish in;
   * `onOutcome` hears of each as it finishes.
   */
  run(
    jobs: readonly Job[],
    onOutcome: (index: number, outcome: JobOutcome) => void,
  ): Promise<JobOutcome[]>;
  /** Stops the workers, if any. */
  close(): Promise<void>;
}

/**
 * Returns the worker count to use: the one asked for, else one per available core, never more
 * than there are jobs.
 * @throws ValidationError naming `workers` when it is not an integer of 1 or more
 */
export function workerCount(workers: number | undefined, jobs: number): number {
  const wanted = workers ?? availableParallelism();
  if (!Number.isSafeInteger(wanted) || wanted < 1) {
    throw new ValidationError('workers', 'be an integer of 1 or more', workers);
  }
  return Math.max(1, Math.min(wanted, jobs));
}

/** Runs every job in this thread, one after the other: the reference the pool must match. */
class SerialRunner implements JobRunner {
  readonly #spec: ResolvedSpec;
  #prepared: Promise<Prepared> | undefined;

  constructor(spec: ResolvedSpec, prepared?: Prepared) {
    this.#spec = spec;
    this.#prepared = prepared === undefined ? undefined : Promise.resolve(prepared);
  }

  async run(
    jobs: readonly Job[],
    onOutcome: (index: number, outcome: JobOutcome) => void,
  ): Promise<JobOutcome[]> {
    this.#prepared ??= prepare(this.#spec);
    const prepared = await this.#prepared;
    const outcomes: JobOutcome[] = [];
    for (const [index, job] of jobs.entries()) {
      const outcome = await runJob(this.#spec, prepared, job);
      outcomes.push(outcome);
      onOutcome(index, outcome);
    }
    return outcomes;
  }

  async close(): Promise<void> {}
}

interface ActiveRun {
  readonly jobs: readonly Job[];
  readonly outcomes: JobOutcome[];
  readonly onOutcome: (index: number, outcome: JobOutcome) => void;
  readonly resolve: (outcomes: JobOutcome[]) => void;
  readonly reject: (error: unknown) => void;
  next: number;
  done: number;
}

/**
 * Returns the worker's entry and the flags it needs. From the sources (tests, `tsx`), this file
 * ends in `.ts` and the worker starts through a JavaScript shim that registers tsx and resolves
 * the workspace packages to their sources; from a build, it is `sweep-worker.js` beside it.
 */
function workerEntry(): { readonly url: URL; readonly execArgv?: string[] } {
  // The CommonJS build gets import.meta.url from tsup's shims.
  const here = import.meta.url;
  if (/\.[cm]?ts$/.test(here)) {
    return { url: new URL('./worker-source.mjs', here), execArgv: ['--conditions=@qtp/source'] };
  }
  return { url: new URL('./sweep-worker.js', here) };
}

/** Runs jobs on worker threads, each loading the spec's data once, one job per worker at a time. */
class ThreadRunner implements JobRunner {
  readonly #workers: Worker[] = [];
  #active: ActiveRun | undefined;
  #failure: unknown;
  #closing = false;

  constructor(spec: ResolvedSpec, size: number) {
    const entry = workerEntry();
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.url, {
        workerData: { spec },
        ...(entry.execArgv === undefined ? {} : { execArgv: entry.execArgv }),
      });
      worker.on('message', (message: WorkerMessage) => this.#receive(worker, message));
      worker.on('error', (error) => {
        this.#fail(
          new QtpError('INTERNAL', `a sweep worker failed: ${error.message}`, false, {
            cause: error,
          }),
        );
      });
      worker.on('exit', (code) => {
        if (this.#closing) return;
        this.#fail(
          new QtpError('INTERNAL', `a sweep worker stopped early, exit code ${code}`, false),
        );
      });
      this.#workers.push(worker);
    }
  }

  run(
    jobs: readonly Job[],
    onOutcome: (index: number, outcome: JobOutcome) => void,
  ): Promise<JobOutcome[]> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (jobs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#active = { jobs, outcomes: [], onOutcome, resolve, reject, next: 0, done: 0 };
      for (const worker of this.#workers) this.#dispatch(worker);
    });
  }

  #dispatch(worker: Worker): void {
    const active = this.#active;
    if (active === undefined || active.next >= active.jobs.length) return;
    const slot = active.next++;
    const message: PoolMessage = { slot, job: active.jobs[slot]! };
    worker.postMessage(message);
  }

  #receive(worker: Worker, message: WorkerMessage): void {
    const active = this.#active;
    if (active === undefined) return;
    if ('fatal' in message) {
      this.#fail(errorFromData(message.fatal));
      return;
    }
    active.outcomes[message.slot] = message.outcome;
    active.done++;
    try {
      active.onOutcome(message.slot, message.outcome);
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (active.done === active.jobs.length) {
      this.#active = undefined;
      active.resolve(active.outcomes);
    } else {
      this.#dispatch(worker);
    }
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    const active = this.#active;
    this.#active = undefined;
    active?.reject(this.#failure);
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

/**
 * Returns a runner for the spec: serial in this thread for one worker, else a pool of `size`
 * worker threads. `prepared` lends the serial runner what the caller has already loaded.
 */
export function createJobRunner(spec: ResolvedSpec, size: number, prepared?: Prepared): JobRunner {
  return size <= 1 ? new SerialRunner(spec, prepared) : new ThreadRunner(spec, size);
}
