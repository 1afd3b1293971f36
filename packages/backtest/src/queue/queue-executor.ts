import { type Clock, LiveClock, QtpError, TimeoutError, type TimerId } from '@qtp/core';
import {
  createEnvelope,
  decodePayload,
  jsonCodec,
  type QueueBroker,
  type Subscription,
  WorkerQueue,
} from '@qtp/messaging';
import * as z from 'zod';
import { createSweepTaskRunner, type SweepExecutor } from '../sweep/executor.js';
import { errorData, type Job, type JobOutcome } from '../sweep/job.js';
import type { ResolvedSpec } from '../sweep/spec.js';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

/** The default queue sweep jobs go to. */
export const SWEEP_JOB_QUEUE = 'qtp.sweep.jobs';

const sweepJobCodec = jsonCodec(
  'qtp.sweep-job',
  z.object({
    runId: z.string().min(1),
    index: z.number().int().nonnegative(),
    replyTo: z.string().min(1),
    spec: z.string().min(2),
    job: z.string().min(2),
  }),
);

const sweepResultCodec = jsonCodec(
  'qtp.sweep-result',
  z.object({
    runId: z.string().min(1),
    index: z.number().int().nonnegative(),
    outcome: z.string().optional(),
    fatal: z
      .object({ name: z.string(), message: z.string(), code: z.string().optional() })
      .optional(),
  }),
);

type SweepReply = ReturnType<typeof sweepResultCodec.decode>;

/** Options of {@link queueExecutor}. */
export interface QueueExecutorOptions {
  /** A broker with work queues: Redis Streams or RabbitMQ for workers on other machines. */
  readonly broker: QueueBroker;
  /** The job queue the workers read; `qtp.sweep.jobs` by default. */
  readonly queue?: string;
  /** How long the whole sweep may take before a `TimeoutError`, in ms; none by default. */
  readonly timeoutMs?: number;
  /** Stamps messages and times the timeout; a `LiveClock` by default. */
  readonly clock?: Clock;
}

/**
 * Returns a sweep executor that publishes one job per parameter set to a work queue and gathers
 * the results that `qtp worker --broker URL` processes send back. A job whose worker dies
 * before acknowledging it goes back to the queue (RabbitMQ at once, Redis Streams after the
 * broker's `claimIdleMs`) and is run again; a result that arrives twice counts once. The
 * result table is the same as the local run's.
 *
 * @throws (from `runSweep`) `QtpError` with the worker's code when a worker cannot run the spec
 *   at all (a bar file it cannot read), and `TimeoutError` after `timeoutMs`
 * @example
 * ```ts
 * import { runSweep } from '@qtp/backtest';
 * import { queueExecutor } from '@qtp/backtest/queue';
 * import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
 * const broker = new RabbitMqBroker({ url: 'amqp://guest:guest@127.0.0.1:5672/%2F' });
 * const sweep = await runSweep({ ...spec, grid, executor: queueExecutor({ broker }) });
 * ```
 */
export function queueExecutor(options: QueueExecutorOptions): SweepExecutor {
  const clock = options.clock ?? new LiveClock();
  const queue = options.queue ?? SWEEP_JOB_QUEUE;
  const jobs = new WorkerQueue({ broker: options.broker, queue, codec: sweepJobCodec, clock });
  return {
    async run(spec, list, onOutcome) {
      const runId = crypto.randomUUID();
      const replyTo = `qtp.sweep.results.${runId}`;
      const outcomes: (JobOutcome | undefined)[] = list.map(() => undefined);
      let remaining = list.length;
      let subscription: Subscription | undefined;
      let timer: TimerId | undefined;
      const gathered = new Promise<JobOutcome[]>((resolve, reject) => {
        if (remaining === 0) resolve([]);
        if (options.timeoutMs !== undefined) {
          const timeoutMs = options.timeoutMs;
          timer = clock.setTimeout(
            () => reject(new TimeoutError(`the sweep took longer than ${timeoutMs} ms`, timeoutMs)),
            timeoutMs,
          );
        }
        subscription = undefined;
        void options.broker
          .subscribe(replyTo, (envelope) => {
            const reply = decodePayload(sweepResultCodec, envelope);
            if (reply.runId !== runId || outcomes[reply.index] !== undefined) return;
            if (reply.fatal !== undefined) {
              reject(
                new QtpError(
                  'INTERNAL',
                  `a sweep worker could not run the spec: ${reply.fatal.message}`,
                  false,
                  {
                    details: {
                      remoteName: reply.fatal.name,
                      remoteCode: reply.fatal.code ?? 'INTERNAL',
                    },
                  },
                ),
              );
              return;
            }
            const outcome = fromTaggedJson(reply.outcome ?? 'null') as JobOutcome;
            outcomes[reply.index] = outcome;
            remaining--;
            onOutcome(reply.index, outcome);
            if (remaining === 0) resolve(outcomes as JobOutcome[]);
          })
          .then(async (opened) => {
            subscription = opened;
            const specText = toTaggedJson(spec);
            for (const [index, job] of list.entries()) {
              await jobs.enqueue(
                { runId, index, replyTo, spec: specText, job: toTaggedJson(job) },
                { id: `${runId}-${index}`, correlationId: runId },
              );
            }
          }, reject)
          .catch(reject);
      });
      try {
        return await gathered;
      } finally {
        if (timer !== undefined) clock.cancel(timer);
        await subscription?.close();
      }
    },
  };
}

/** Options of {@link runSweepWorker}. */
export interface SweepWorkerOptions {
  readonly broker: QueueBroker;
  /** The job queue; `qtp.sweep.jobs` by default. */
  readonly queue?: string;
  /** How many jobs this worker runs at once; 1 by default (a backtest uses one core). */
  readonly prefetch?: number;
  /** Hears each finished job. */
  readonly onJob?: (runId: string, index: number) => void;
  /** Stamps messages; a `LiveClock` by default. */
  readonly clock?: Clock;
}

/**
 * Serves sweep jobs from the queue until the returned subscription is closed: runs each job's
 * backtest (loading a spec's data once and keeping it for the next job of the same spec),
 * publishes the outcome to the job's reply topic, then acknowledges the job. This is what
 * `qtp worker --broker URL` runs.
 *
 * @example
 * ```ts
 * import { runSweepWorker } from '@qtp/backtest/queue';
 * import { RedisStreamsBroker } from '@qtp/messaging/redis';
 * const worker = await runSweepWorker({ broker: new RedisStreamsBroker({ connection: 'redis://127.0.0.1:6379' }) });
 * ```
 */
export function runSweepWorker(options: SweepWorkerOptions): Promise<Subscription> {
  const clock = options.clock ?? new LiveClock();
  const jobs = new WorkerQueue({
    broker: options.broker,
    queue: options.queue ?? SWEEP_JOB_QUEUE,
    codec: sweepJobCodec,
    clock,
  });
  const runTask = createSweepTaskRunner();
  return jobs.work(
    async (message) => {
      let reply: SweepReply;
      try {
        const spec = fromTaggedJson(message.spec) as ResolvedSpec;
        const job = fromTaggedJson(message.job) as Job;
        const outcome = await runTask(spec, job);
        reply = { runId: message.runId, index: message.index, outcome: toTaggedJson(outcome) };
      } catch (error) {
        const data = errorData(error);
        reply = {
          runId: message.runId,
          index: message.index,
          fatal: {
            name: data.name,
            message: data.message,
            ...(data.code === undefined ? {} : { code: data.code }),
          },
        };
      }
      await options.broker.publish(
        message.replyTo,
        createEnvelope(clock, {
          type: sweepResultCodec.type,
          payload: sweepResultCodec.encode(reply),
          correlationId: message.runId,
        }),
      );
      options.onJob?.(message.runId, message.index);
    },
    { prefetch: options.prefetch ?? 1 },
  );
}
