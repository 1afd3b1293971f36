import { equityView } from '@qtp/dashboard';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('equityView', () => {
  it('measures drawdown against the running peak', () => {
    // Peaks 100 then 120; 90 is 25 % below 120, 108 is 10 % below it.
    const view = equityView({ times: [1, 2, 3, 4], values: [100, 120, 90, 108] }, 'USDT', 100);
    const expected = [0, 0, 0.25, 0.1];
    expect(view.drawdown).toHaveLength(4);
    for (const [i, value] of view.drawdown.entries()) expect(value).toBeCloseTo(expected[i]!, 12);
    expect(view.maxDrawdown).toBe(0.25);
    expect(view.recordedPoints).toBe(4);
  });

  it('thins a long curve to at most maxPoints + 1 points, keeping the first, the last and the deepest drawdown figure', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 500 }),
        fc.integer({ min: 10, max: 100 }),
        (values, maxPoints) => {
          const times = values.map((_, i) => i * 60_000);
          const view = equityView({ times, values }, 'USDT', maxPoints);
          expect(view.equity.length).toBeLessThanOrEqual(maxPoints + 1);
          expect(view.times[0]).toBe(0);
          expect(view.equity.at(-1)).toBe(values.at(-1));
          expect(view.times.at(-1)).toBe(times.at(-1));
          let peak = -Infinity;
          let deepest = 0;
          for (const value of values) {
            peak = Math.max(peak, value);
            deepest = Math.max(deepest, 1 - value / peak);
          }
          expect(view.maxDrawdown).toBe(deepest);
        },
      ),
    );
  });

  it('returns an empty view for an empty curve', () => {
    expect(equityView({ times: [], values: [] }, 'ETH', 10)).toEqual({
      currency: 'ETH',
      times: [],
      equity: [],
      drawdown: [],
      recordedPoints: 0,
      maxDrawdown: 0,
    });
  });
});
