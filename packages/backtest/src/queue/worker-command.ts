import { parseArgs } from 'node:util';
import { openQueueBroker } from './open-broker.js';
import { runSweepWorker, SWEEP_JOB_QUEUE } from './queue-executor.js';

const HELP = `Usage: qtp worker --broker URL [--queue NAME] [--prefetch N]

Serves backtest sweep jobs from a work queue until stopped (SIGINT or SIGTERM).
  --broker URL    redis://host:port (Redis Streams) or amqp://user:pass@host:port/vhost (RabbitMQ)
  --queue NAME    the job queue (default ${SWEEP_JOB_QUEUE})
  --prefetch N    jobs run at once (default 1)`;

/** Runs `qtp worker` with its arguments; resolves with the exit code once stopped. */
export async function runWorkerCommand(
  args: readonly string[],
  streams: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let values: { broker?: string; queue?: string; prefetch?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        broker: { type: 'string' },
        queue: { type: 'string' },
        prefetch: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    streams.stderr.write(`qtp worker: ${(error as Error).message}\n${HELP}\n`);
    return 2;
  }
  if (values.help === true) {
    streams.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (values.broker === undefined) {
    streams.stderr.write(`qtp worker: --broker is required\n${HELP}\n`);
    return 2;
  }
  const prefetch = values.prefetch === undefined ? 1 : Number(values.prefetch);
  if (!Number.isInteger(prefetch) || prefetch < 1) {
    streams.stderr.write(
      `qtp worker: --prefetch must be an integer of 1 or more, was ${values.prefetch}\n`,
    );
    return 2;
  }
  const broker = await openQueueBroker(values.broker);
  const queue = values.queue ?? SWEEP_JOB_QUEUE;
  const worker = await runSweepWorker({ broker, queue, prefetch });
  const where = values.broker.replace(/\/\/[^@/]*@/, '//');
  streams.stdout.write(`qtp worker: serving ${queue} on ${where}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await worker.close();
  await broker.close();
  return 0;
}
