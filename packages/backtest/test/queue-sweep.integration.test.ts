import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runSweep, runWalkForward, type SweepProgress } from '@qtp/backtest';
import { queueExecutor } from '@qtp/backtest/queue';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { sharedRabbitMq, uniqueName } from '@qtp/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { serialize, smaSpec } from '../src/sweep/test-setup.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cli = `${root}packages/backtest/src/cli/main.ts`;
const dying = fileURLToPath(new URL('./dying-worker.ts', import.meta.url));

const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
});

function start(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(tsx, ['--conditions=@qtp/source', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { child, output: () => text };
}

async function until(what: string, check: () => boolean, timeoutMs = 90_000) {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const grid = { fastPeriod: [5, 10, 20], slowPeriod: [20, 40] };

describe('runSweep on a queue', () => {
  it('gives the in-process result with four worker processes, rerunning the job of one that died', {
    timeout: 240_000,
  }, async () => {
    const rabbit = await sharedRabbitMq();
    const url = await rabbit.takeVhost();
    const queue = uniqueName('sweep');
    const local = await runSweep({ ...smaSpec, grid, workers: 1 });

    const dead = start([dying, url, queue]);
    await until('the dying worker', () => dead.output().includes('ready'));
    const broker = new RabbitMqBroker({ url });
    const progress: SweepProgress[] = [];
    const distributed = runSweep({
      ...smaSpec,
      grid,
      executor: queueExecutor({ broker, queue }),
      onProgress: (step) => progress.push(step),
    });
    await until('the dying worker to exit', () => dead.child.exitCode !== null);
    expect(dead.output()).toMatch(/took [0-9a-f-]+-\d\n/);

    const workers = Array.from({ length: 4 }, () =>
      start([cli, 'worker', '--broker', url, '--queue', queue]),
    );
    const result = await distributed;
    expect(serialize(result)).toBe(serialize(local));
    expect(progress.map((step) => step.done)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    // The sweep may end before a slow-starting worker has printed its banner.
    await until('every worker to serve', () =>
      workers.every((worker) => worker.output().includes(`serving ${queue}`)),
    );
    await broker.close();
  });
});

describe('runWalkForward on a queue', () => {
  it('gives the in-process analysis with two worker processes', { timeout: 240_000 }, async () => {
    const rabbit = await sharedRabbitMq();
    const url = await rabbit.takeVhost();
    const queue = uniqueName('walk-forward');
    // 712 bars: 300 training and 100 test bars moving by 100 give 4 windows of 4 sets each.
    const options = {
      ...smaSpec,
      grid: { fastPeriod: [5, 10], slowPeriod: [20, 40] },
      trainBars: 300,
      testBars: 100,
    };
    const local = await runWalkForward({ ...options, workers: 1 });
    const workers = Array.from({ length: 2 }, () =>
      start([cli, 'worker', '--broker', url, '--queue', queue]),
    );
    await until('the workers', () =>
      workers.every((worker) => worker.output().includes(`serving ${queue}`)),
    );
    const broker = new RabbitMqBroker({ url });
    const progress: number[] = [];
    const onQueue = queueExecutor({ broker, queue });
    const queued: number[] = [];
    const distributed = await runWalkForward({
      ...options,
      executor: {
        run: (spec, jobs, onOutcome) => {
          queued.push(jobs.length);
          return onQueue.run(spec, jobs, onOutcome);
        },
      },
      onProgress: (step) => progress.push(step.done),
    });
    // Every backtest went to the queue: the 16 training runs together, then the 4 test runs.
    expect(queued).toEqual([16, 4]);
    expect(distributed.windows).toHaveLength(4);
    expect(serialize(distributed)).toBe(serialize(local));
    // 4 windows x (4 training runs + 1 test run), and the call before the first.
    expect(progress).toEqual(Array.from({ length: 21 }, (_, i) => i));
    await broker.close();
  });
});
