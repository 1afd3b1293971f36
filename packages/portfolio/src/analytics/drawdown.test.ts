import { drawdownPeriods, drawdownSeries, maxDrawdown, maxDrawdownPeriod } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  catchValidationError,
  expectAllClose,
  expectClose,
  loadReferenceCases,
} from '../../test/reference.js';

describe('drawdowns', () => {
  it.each(loadReferenceCases())('match pandas for $name', ({ curve, expected }) => {
    if (expected.drawdowns !== undefined) {
      expectAllClose(drawdownSeries(curve.values), expected.drawdowns, 'drawdowns');
    }
    expectClose(maxDrawdown(curve.values), expected.maxDrawdown, 'maxDrawdown');
    const periods = drawdownPeriods(curve);
    expect(periods.length).toBe(expected.drawdownPeriodCount);
    expect(Math.max(...periods.map((p) => p.durationMs))).toBe(expected.longestDrawdownMs);
    expect(Math.max(...periods.map((p) => p.durationPeriods))).toBe(
      expected.longestDrawdownPeriods,
    );
    const deepest = maxDrawdownPeriod(curve)!;
    expect({ ...deepest, depth: 0 }).toEqual({ ...expected.maxDrawdownPeriod, depth: 0 });
    expectClose(deepest.depth, expected.maxDrawdownPeriod.depth, 'depth');
  });

  it('measures each drawdown as a positive fraction of the running peak', () => {
    expect(Array.from(drawdownSeries([100, 120, 90, 130]))).toEqual([0, 0, 0.25, 0]);
    expect(maxDrawdown([100, 120, 90, 130, 110])).toBe(0.25);
  });

  it('dates a drawdown from the last time at the peak to the first time back at it', () => {
    const curve = { times: [0, 10, 20, 30, 40, 50, 60], values: [100, 100, 90, 80, 90, 100, 95] };
    expect(drawdownPeriods(curve)).toEqual([
      {
        peakTime: 10,
        troughTime: 30,
        recoveryTime: 50,
        depth: 1 - 80 / 100,
        durationMs: 40,
        durationPeriods: 4,
      },
      {
        peakTime: 50,
        troughTime: 60,
        recoveryTime: null,
        depth: 1 - 95 / 100,
        durationMs: 10,
        durationPeriods: 1,
      },
    ]);
  });

  it('picks the first of two equally deep drawdowns and its first trough', () => {
    const curve = { times: [0, 1, 2, 3, 4, 5, 6], values: [10, 5, 5, 10, 5, 10, 12] };
    expect(maxDrawdownPeriod(curve)).toEqual({
      peakTime: 0,
      troughTime: 1,
      recoveryTime: 3,
      depth: 0.5,
      durationMs: 3,
      durationPeriods: 3,
    });
  });

  it('reports no drawdown for a rising, flat, single-point or empty curve', () => {
    expect(drawdownPeriods({ times: [0, 1, 2], values: [1, 1, 2] })).toEqual([]);
    expect(maxDrawdownPeriod({ times: [0], values: [1] })).toBeNull();
    expect(maxDrawdown([])).toBe(0);
    expect(drawdownSeries([]).length).toBe(0);
  });

  it('rejects zero equity and mismatched lengths', () => {
    expect(catchValidationError(() => drawdownSeries([1, 0])).field).toBe('values[1]');
    expect(catchValidationError(() => drawdownPeriods({ times: [0], values: [1, 2] })).rule).toBe(
      'have the same length as times (1)',
    );
  });
});
