/**
 * Backtest sweeps on a message queue: {@link queueExecutor} for `runSweep({ executor })` and
 * `runWalkForward`, {@link runSweepWorker} for the processes that run the jobs (what
 * `qtp worker --broker URL` starts), on Redis Streams or RabbitMQ through `@qtp/messaging`.
 *
 * @module
 */
export { openQueueBroker } from './open-broker.js';
export {
  type QueueExecutorOptions,
  queueExecutor,
  runSweepWorker,
  SWEEP_JOB_QUEUE,
  type SweepWorkerOptions,
} from './queue-executor.js';
