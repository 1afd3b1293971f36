import { fileURLToPath } from 'node:url';
import { runBacktest, runSweep, type SweepProgress } from '@qtp/backtest';
import { isQtpError, type ValidationError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { writeTempFile } from '../data/test-files.js';
import { serialize, smaSpec, XRPETH, xrp } from './test-setup.js';

// Worker threads start from the TypeScript sources through tsx, slowly on a busy machine.
const THREADED = { timeout: 120_000 };

// fastPeriod 20 with slowPeriod 20 is refused by the strategy: the sweep keeps it as a failure.
const grid = { fastPeriod: [5, 20], slowPeriod: [20, 40] };

describe('runSweep', () => {
  it('gives the same runs on two worker threads as serially in this thread', THREADED, async () => {
    const progress: SweepProgress[] = [];
    const serial = await runSweep({ ...smaSpec, grid, workers: 1 });
    const threaded = await runSweep({
      ...smaSpec,
      grid,
      workers: 2,
      onProgress: (step) => progress.push(step),
    });
    expect(serialize(threaded)).toBe(serialize(serial));
    expect(threaded.runs.map((run) => run.params)).toEqual([
      { fastPeriod: 5, slowPeriod: 20 },
      { fastPeriod: 5, slowPeriod: 40 },
      { fastPeriod: 20, slowPeriod: 20 },
      { fastPeriod: 20, slowPeriod: 40 },
    ]);
    expect(progress[0]).toEqual({ done: 0, total: 4 });
    expect(progress.at(-1)).toEqual({ done: 4, total: 4 });
    expect(progress.map((step) => step.done)).toEqual([0, 1, 2, 3, 4]);

    const failed = threaded.runs[2]!;
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('VALIDATION');
      expect(failed.error.message).toMatch(/params\.slowPeriod/);
    }
    const finished = threaded.runs.filter((run) => run.ok);
    expect(finished).toHaveLength(3);
    expect(finished.some((run) => run.result.fills.length > 0)).toBe(true);
    const best = threaded.best!;
    expect(finished.every((run) => run.score <= best.score)).toBe(true);
    expect(best.score).toBe(best.result.performance.sharpeRatio);
  });

  it('matches a plain runBacktest of the same parameters', async () => {
    const sweep = await runSweep({
      ...smaSpec,
      grid: [{ fastPeriod: 10, slowPeriod: 30 }],
      workers: 1,
    });
    const run = sweep.runs[0]!;
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const { readCsvBars } = await import('@qtp/backtest');
    const { barFillModel } = await import('@qtp/exchange');
    const direct = await runBacktest({
      instruments: [xrp],
      data: readCsvBars(smaSpec.data[0]!.path, { instrumentId: XRPETH, interval: '5m' }),
      strategy: {
        name: 'sma-crossover',
        params: { instrumentId: XRPETH, quantity: '150', fastPeriod: 10, slowPeriod: 30 },
      },
      balances: { ETH: '1' },
      fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
      seed: 3,
    });
    expect(serialize(run.result)).toBe(serialize(direct));
  });

  it('loads a user strategy by module path in each worker', THREADED, async () => {
    const strategyModule = fileURLToPath(new URL('./test-strategy.ts', import.meta.url));
    const { strategy: _registryName, ...spec } = smaSpec;
    const sets = [
      { fastPeriod: 5, slowPeriod: 20 },
      { fastPeriod: 10, slowPeriod: 40 },
    ];
    const fromModule = await runSweep({ ...spec, strategyModule, grid: sets, workers: 2 });
    const fromRegistry = await runSweep({ ...smaSpec, grid: sets, workers: 1 });
    fromModule.runs.forEach((run, i) => {
      const reference = fromRegistry.runs[i]!;
      expect(run.ok && reference.ok).toBe(true);
      if (!run.ok || !reference.ok) return;
      expect(run.result.strategy.name).toBe('ModuleCrossover');
      expect(serialize(run.result.fills)).toBe(serialize(reference.result.fills));
    });
  });

  it('refuses an unknown strategy name and a missing bar file before running anything', async () => {
    const unknown = runSweep({ ...smaSpec, strategy: 'no-such-strategy', grid: [{}] });
    await expect(unknown).rejects.toSatisfy(
      (error) => isQtpError(error, 'VALIDATION') && (error as ValidationError).field === 'strategy',
    );
    const missing = runSweep({
      ...smaSpec,
      data: [{ path: 'no/such/file.csv', instrumentId: XRPETH }],
      grid: [{}],
    });
    await expect(missing).rejects.toThrow(/data\[0\]\.path: must be a readable file/);
  });

  it('refuses a worker count that is not a positive integer', async () => {
    await expect(runSweep({ ...smaSpec, grid: [{}], workers: 0 })).rejects.toThrow(
      /workers: must be an integer of 1 or more/,
    );
  });

  it('reports an unreadable row from a worker as the loader reported it', THREADED, async () => {
    const path = writeTempFile(
      'bad.csv',
      'open_time,open,high,low,close,volume\n1700000100000,1,2,0.5,1.5,10\n1700000400000,1,0.5,2,1,10\n',
    );
    const data = [{ path, instrumentId: XRPETH, interval: '5m' as const }];
    const options = { ...smaSpec, data, grid: [{}, {}] };
    const threaded = runSweep({ ...options, workers: 2 });
    await expect(threaded).rejects.toSatisfy((error) => isQtpError(error, 'VALIDATION'));
    await expect(threaded).rejects.toThrow(/bad\.csv:3 high/);
    await expect(runSweep({ ...options, workers: 1 })).rejects.toThrow(/bad\.csv:3 high/);
  });
});
