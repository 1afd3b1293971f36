import { parentPort, workerData } from 'node:worker_threads';
import { errorData, prepare, runJob } from './job.js';
import type { PoolMessage, WorkerMessage } from './protocol.js';
import type { ResolvedSpec } from './spec.js';

// The entry of a sweep worker thread: it loads the spec's bars, instruments and strategy once,
// then runs each job the pool sends and answers with its outcome.
const port = parentPort!;
const spec = (workerData as { spec: ResolvedSpec }).spec;
const prepared = prepare(spec);
// The failure is reported with the first job; this keeps it from counting as unhandled meanwhile.
prepared.catch(() => undefined);

port.on('message', async (message: PoolMessage) => {
  let answer: WorkerMessage;
  try {
    answer = { slot: message.slot, outcome: await runJob(spec, await prepared, message.job) };
  } catch (error) {
    answer = { slot: message.slot, fatal: errorData(error) };
  }
  port.postMessage(answer);
});
