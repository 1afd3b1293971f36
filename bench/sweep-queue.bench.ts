/**
 * A parameter sweep on a RabbitMQ work queue served by 1, 2 and 4 `qtp worker` processes: the
 * wall time, jobs per second and speed-up against one worker of the same sweep for each worker
 * count, with the ideal speed-up (the worker count, capped by the machine's cores, printed from
 * `os.availableParallelism()`) and the in-process sweep on one thread beside them. Each job is a
 * CPU-bound backtest of `QTP_BENCH_BARS` five-minute bars of a seeded random walk (180 000 by
 * default, about a second of CPU), and there are 12 of them, so every worker count divides the
 * jobs evenly and a job is long beside the queue's few milliseconds. Workers take one job at a
 * time (prefetch 1), so none hoards jobs while another idles. They are started and warmed (one
 * job each, which loads the bars) before the clock starts; their start-up is timed and printed
 * apart. Every queued sweep's result table is checked to equal the in-process sweep's. The load
 * average before and after shows how much of the machine other work took. RabbitMQ runs on a
 * loopback port, started here. `QTP_BENCH_LONG=1` runs 24 jobs of twice the bars (a few
 * minutes) for steadier figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BacktestSpec,
  runSweep,
  type SweepOptions,
  type SweepParams,
  type SweepResult,
} from '@qtp/backtest';
import { queueExecutor } from '@qtp/backtest/queue';
import { Instrument, instrumentId, SeededRandom } from '@qtp/core';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { startRabbitMq } from '@qtp/test-services';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;
const cli = `${root}packages/backtest/src/cli/main.ts`;
const WORKER_COUNTS = (process.env.QTP_BENCH_WORKERS ?? '1,2,4').split(',').map(Number);

const LONG = process.env.QTP_BENCH_LONG === '1';
const BARS = Number(process.env.QTP_BENCH_BARS ?? (LONG ? 360_000 : 180_000));
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
// 4 x 3 = 12 backtests (4 x 6 = 24 in the long run): each worker count divides them evenly.
const grid: SweepOptions['grid'] = {
  fastPeriod: [5, 6, 7, 8],
  slowPeriod: LONG ? [20, 25, 30, 35, 40, 45] : [20, 30, 40],
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

// The result table of a sweep, typed arrays as plain arrays, for an exact comparison.
function tableOf(sweep: SweepResult): string {
  return JSON.stringify(sweep, (_key, item: unknown) =>
    ArrayBuffer.isView(item) ? Array.from(item as Float64Array) : item,
  );
}

interface Row {
  readonly name: string;
  readonly seconds: number;
  readonly workers: number;
  readonly startSeconds?: number;
  readonly sameTable?: boolean;
}

const loadBefore = loadavg()[0] ?? Number.NaN;
const rabbit = await startRabbitMq({ vhostPool: 1 });
const rows: Row[] = [];
try {
  await runSweep({ ...spec, grid: [warmUp], workers: 1 });
  let started = performance.now();
  const local = await runSweep({ ...spec, grid, workers: 1 });
  const localSeconds = (performance.now() - started) / 1000;
  const localTable = tableOf(local);
  rows.push({ name: 'in-process, 1 thread', seconds: localSeconds, workers: 0 });

  for (const count of WORKER_COUNTS) {
    const queue = `bench-sweep-${count}`;
    const url = rabbit.url;
    const broker = new RabbitMqBroker({ url });
    started = performance.now();
    const workers = await Promise.all(Array.from({ length: count }, () => startWorker(url, queue)));
    try {
      const executor = queueExecutor({ broker, queue });
      // As many warm-up jobs as workers; with prefetch 1 each worker takes one.
      await runSweep({ ...spec, grid: Array.from({ length: count }, () => warmUp), executor });
      const startSeconds = (performance.now() - started) / 1000;
      started = performance.now();
      const queued = await runSweep({ ...spec, grid, executor });
      const seconds = (performance.now() - started) / 1000;
      rows.push({
        name: `queue, ${count} qtp worker${count === 1 ? '' : 's'}`,
        seconds,
        workers: count,
        startSeconds,
        sameTable: tableOf(queued) === localTable,
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
const localSeconds = rows.find((row) => row.workers === 0)?.seconds ?? Number.NaN;
const jobs = Object.values(grid).reduce((n, values) => n * values.length, 1);
console.log(
  `\nsweep-queue: ${jobs} backtests of ${BARS} bars (${(localSeconds / jobs).toFixed(2)} s each in process) on RabbitMQ; ` +
    `${cores} cores (os.availableParallelism()), load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after\n`,
);
console.log(
  `${'run'.padEnd(26)}${'seconds'.padStart(9)}${'jobs/s'.padStart(9)}${'speed-up'.padStart(10)}${'ideal'.padStart(7)}${'start s'.padStart(9)}${'table'.padStart(8)}`,
);
for (const row of rows) {
  const queued = row.workers > 0;
  const speedUp = queued ? `${(oneWorker / row.seconds).toFixed(2)}x` : '';
  const ideal = queued ? `${Math.min(row.workers, cores)}x` : '';
  const start = row.startSeconds === undefined ? '' : row.startSeconds.toFixed(2);
  const table = row.sameTable === undefined ? '' : row.sameTable ? 'same' : 'DIFFERS';
  console.log(
    `${row.name.padEnd(26)}${row.seconds.toFixed(2).padStart(9)}${(jobs / row.seconds).toFixed(2).padStart(9)}${speedUp.padStart(10)}${ideal.padStart(7)}${start.padStart(9)}${table.padStart(8)}`,
  );
}
console.log(
  `queue cost with 1 worker: ${(((oneWorker - localSeconds) / jobs) * 1000).toFixed(0)} ms a job beside the in-process run\n` +
    'speed-up: against 1 worker; ideal: the worker count up to the core count. start s: starting\n' +
    'the workers and one warm-up job each (loading the bars), not in the timed run. table: the\n' +
    "queued sweep's result table against the in-process one. With the cores busy with other work\n" +
    '(a load average above the core count) the workers share what is left, and the speed-up\n' +
    'falls short of the ideal.\n',
);
if (rows.some((row) => row.sameTable === false)) {
  throw new Error('a queued sweep gave a result table different from the in-process sweep');
}
