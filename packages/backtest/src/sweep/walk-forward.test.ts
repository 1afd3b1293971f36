import { runWalkForward, type WalkForwardOptions } from '@qtp/backtest';
import { isQtpError } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { serialize, smaSpec } from './test-setup.js';

// 712 bars: windows of 300 training bars and 100 test bars, moving by 100, give 4 windows.
const options: WalkForwardOptions = {
  ...smaSpec,
  grid: { fastPeriod: [5, 10], slowPeriod: [20, 40] },
  trainBars: 300,
  testBars: 100,
};

describe('runWalkForward', () => {
  it('tests each window only on bars after its training span, in disjoint test windows', async () => {
    const analysis = await runWalkForward({ ...options, workers: 1 });
    expect(analysis.windows).toHaveLength(4);
    expect(analysis.paramSets).toHaveLength(4);
    let previousTestEnd = Number.NEGATIVE_INFINITY;
    for (const window of analysis.windows) {
      expect(window.train.bars).toBe(300);
      expect(window.test.bars).toBe(100);
      expect(window.test.startMs).toBeGreaterThan(window.train.endMs);
      expect(window.test.startMs).toBeGreaterThan(previousTestEnd);
      previousTestEnd = window.test.endMs;
      const result = window.outOfSample.result;
      expect(result.period!.start).toBe(window.test.startMs);
      expect(result.period!.end).toBe(window.test.endMs);
      expect(result.events).toBe(100);
      for (const fill of result.fills) {
        expect(fill.timeMs).toBeGreaterThan(window.train.endMs);
        expect(fill.timeMs).toBeLessThanOrEqual(window.test.endMs);
      }
      expect(window.params).toEqual(
        analysis.paramSets[window.scores.indexOf(window.inSample.score)],
      );
      expect(Math.max(...window.scores.map((score) => score ?? Number.NEGATIVE_INFINITY))).toBe(
        window.inSample.score,
      );
      expect(result.strategy.parameters).toMatchObject(window.params);
    }
    // Consecutive training windows slide by the test length.
    expect(analysis.windows[1]!.train.startMs).toBe(
      analysis.windows[0]!.test.startMs - 200 * 300_000,
    );
  });

  it('chains the out-of-sample equity curves so the returns compound', async () => {
    const analysis = await runWalkForward({ ...options, workers: 1 });
    const curve = analysis.outOfSample.equityCurve;
    const windows = analysis.windows;
    expect(curve.times).toHaveLength(400);
    expect(curve.times[0]).toBe(windows[0]!.test.startMs);
    expect(curve.times.at(-1)).toBe(windows.at(-1)!.test.endMs);
    let growth = 1;
    for (const window of windows) {
      const values = window.outOfSample.result.equityCurve.values;
      growth *= values.at(-1)! / values[0]!;
    }
    const first = windows[0]!.outOfSample.result.equityCurve.values[0]!;
    expect(curve.values.at(-1)! / first).toBeCloseTo(growth, 12);
    expect(analysis.outOfSample.performance.totalReturn).toBeCloseTo(growth - 1, 12);
    expect(analysis.outOfSample.trades).toHaveLength(
      windows.reduce((count, window) => count + window.outOfSample.result.trades.length, 0),
    );
  });

  it('gives the same analysis on two worker threads as serially', {
    timeout: 120_000,
  }, async () => {
    const serial = await runWalkForward({ ...options, workers: 1 });
    const threaded = await runWalkForward({ ...options, workers: 2 });
    expect(serialize(threaded)).toBe(serialize(serial));
  });

  it('keeps the training windows anchored at the first bar when asked', async () => {
    const analysis = await runWalkForward({ ...options, anchored: true, workers: 1 });
    const start = analysis.windows[0]!.train.startMs;
    analysis.windows.forEach((window, i) => {
      expect(window.train.startMs).toBe(start);
      expect(window.train.bars).toBe(300 + 100 * i);
    });
  });

  it('refuses overlapping test windows and data too short for one window', async () => {
    await expect(runWalkForward({ ...options, stepBars: 50 })).rejects.toThrow(
      /stepBars: must be at least testBars 100/,
    );
    const tooLong = runWalkForward({ ...options, trainBars: 700 });
    await expect(tooLong).rejects.toSatisfy((error) => isQtpError(error, 'VALIDATION'));
    await expect(tooLong).rejects.toThrow(/at most the 712 bars/);
  });
});
