/**
 * A parameter sweep on a RabbitMQ work queue served by 1, 2 and 4 `qtp worker` processes
 * (12 backtests of 30 000 five-minute bars of a seeded random walk, written to a temporary file;
 * each job is a few hundred milliseconds of CPU, so the queue's few milliseconds per job are
 * small beside it): the wall time, jobs per second and speed-up against one worker of the same
 * sweep for each worker count, with the ideal speed-up (the worker count, capped by the cores)
 * and the in-process sweep on one thread beside them. The load average before and after shows
 * how much of the machine other work took. RabbitMQ runs on a loopback port,
 * started here; workers are started and warmed (their first sweep loads the bars) before the
 * timed sweep, so process start-up is not counted. The speed-up cannot pass the machine's core
 * count, printed beside the figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BacktestSpec, runSweep, type SweepOptions, type SweepParams } from '@qtp/backtest';
import { queueExecutor } from '@qtp/backtest/queue';
import { Instrument, instrumentId, SeededRandom } from '@qtp/core';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { startRabbitMq } from '@qtp/test-services';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cli = `${root}packages/backtest/src/cli/main.ts`;
const WORKER_COUNTS = (process.env.QTP_BENCH_WORKERS ?? '1,2,4').split(',').map(Number);

const BARS = Number(process.env.QTP_BENCH_BARS ?? 30_000);
const folder = await mkdtemp(join(tmpdir(), 'qtp-bench-sweep-queue-'));
const barFile = join(folder, 'bars.csv');
{
  const random = new SeededRandom(7);
  const lines = ['open_time,open,high,low,close,volume'];
  let price = 0.0014;
  for (let i = 0; i < BARS; i++) {
    const open = price;
    price *= 1 + (random.next() - 0.5) * 0.01;
    const high = Math.max(open, price) * 1.001;
    const low = Math.min(open, price) * 0.999;
    const row = [open, high, low, price].map((p) => p.toFixed(8));
    lines.push(
      `${1_570_752_000_000 + i * 300_000},${row.join(',')},${1000 + random.nextInt(5000)}`,
    );
  }
  writeFileSync(barFile, `${lines.join('\n')}\n`);
}

const xrpId = instrumentId('XRPETH', 'BINANCE');
const spec: BacktestSpec = {
  instruments: [
    new Instrument({
      id: xrpId,
      baseAsset: 'XRP',
      quoteAsset: 'ETH',
      priceIncrement: '0.00000001',
      sizeIncrement: '1',
      takerFee: '0.001',
    }),
  ],
  data: [{ path: barFile, instrumentId: xrpId, interval: '5m' }],
  strategy: 'sma-crossover',
  params: { instrumentId: xrpId, quantity: '150' },
  balances: { ETH: '1' },
  fillModel: { volumeCap: Number.POSITIVE_INFINITY },
  seed: 3,
};
// 4 x 3 = 12 backtests: enough for 4 workers to take 3 each, and the run stays under a minute.
const grid: SweepOptions['grid'] = {
  fastPeriod: [5, 6, 7, 8],
  slowPeriod: [20, 30, 40],
};
// Loads the bars in each worker (the first job of a spec does), untimed.
const warmUp: SweepParams = { fastPeriod: 5, slowPeriod: 20 };

function startWorker(url: string, queue: string): Promise<ChildProcess> {
  const child = spawn(
    tsx,
    ['--conditions=@qtp/source', cli, 'worker', '--broker', url, '--queue', queue],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('serving')) resolve(child);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`qtp worker exited with ${code}: ${text}`)));
  });
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const loadBefore = loadavg()[0] ?? Number.NaN;
const rabbit = await startRabbitMq({ vhostPool: 1 });
const rows: { name: string; seconds: number; workers: number }[] = [];
try {
  await runSweep({ ...spec, grid: [warmUp], workers: 1 });
  let started = performance.now();
  await runSweep({ ...spec, grid, workers: 1 });
  const localSeconds = (performance.now() - started) / 1000;
  rows.push({ name: 'in-process, 1 thread', seconds: localSeconds, workers: 0 });

  for (const count of WORKER_COUNTS) {
    const queue = `bench-sweep-${count}`;
    const url = rabbit.url;
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(url, queue)));
    const broker = new RabbitMqBroker({ url });
    try {
      const executor = queueExecutor({ broker, queue });
      // As many warm-up jobs as workers; with prefetch 1 each worker takes one.
      await runSweep({ ...spec, grid: Array.from({ length: count }, () => warmUp), executor });
      started = performance.now();
      await runSweep({ ...spec, grid, executor });
      rows.push({
        name: `queue, ${count} qtp worker${count === 1 ? '' : 's'}`,
        seconds: (performance.now() - started) / 1000,
        workers: count,
      });
    } finally {
      await broker.close();
      await Promise.all(workers.map(stopWorker));
    }
  }
} finally {
  await rabbit.stop();
  await rm(folder, { recursive: true, force: true });
}

const loadAfter = loadavg()[0] ?? Number.NaN;
const cores = availableParallelism();
const oneWorker = rows.find((row) => row.workers === 1)?.seconds ?? Number.NaN;
const jobs = Object.values(grid).reduce((n, values) => n * values.length, 1);
console.log(
  `\nsweep-queue: ${jobs} backtests of ${BARS} bars on RabbitMQ; ${cores} cores, load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after\n`,
);
console.log(
  `${'run'.padEnd(28)}${'seconds'.padStart(10)}${'jobs/s'.padStart(10)}${'speed-up'.padStart(10)}${'ideal'.padStart(8)}`,
);
for (const row of rows) {
  const speedUp = row.workers === 0 ? '' : `${(oneWorker / row.seconds).toFixed(2)}x`;
  const ideal = row.workers === 0 ? '' : `${Math.min(row.workers, cores)}x`;
  console.log(
    `${row.name.padEnd(28)}${row.seconds.toFixed(2).padStart(10)}${(jobs / row.seconds).toFixed(2).padStart(10)}${speedUp.padStart(10)}${ideal.padStart(8)}`,
  );
}
console.log(
  'speed-up: against 1 worker; ideal: the worker count up to the core count. With the cores busy\n' +
    'with other work (a load average above the core count) the workers share what is left, and the\n' +
    'speed-up falls short of the ideal.\n',
);
