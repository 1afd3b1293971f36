import { equityView } from '@qtp/dashboard';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityHistory } from './equity-history.js';

// A curve kept as the engine keeps its own: a point at a time not after the last replaces the
// last value, any later time appends.
class Curve {
  readonly times: number[] = [];
  readonly values: number[] = [];
  reads = 0;

  record(timeMs: number, value: number): void {
    const last = this.times.length - 1;
    if (last >= 0 && this.times[last]! >= timeMs) this.values[last] = value;
    else {
      this.times.push(timeMs);
      this.values.push(value);
    }
  }

  read = (from: number): { times: number[]; values: number[] } => {
    this.reads += Math.max(0, this.values.length - from);
    return { times: this.times.slice(from), values: this.values.slice(from) };
  };
}

describe('EquityHistory', () => {
  it('measures drawdown against the running peak, reading the last point again as it changes', () => {
    const curve = new Curve();
    const history = new EquityHistory(curve.read, 100);
    curve.record(1, 100);
    curve.record(2, 130);
    history.update();
    // The point at time 2 is replaced by 120 before it is settled: the peak is 120, not 130.
    curve.record(2, 120);
    curve.record(3, 90);
    curve.record(4, 108);
    history.update();
    const view = history.view('USDT');
    expect(view.times).toEqual([1, 2, 3, 4]);
    expect(view.equity).toEqual([100, 120, 90, 108]);
    // 90 is 25 % below 120 and 108 is 10 % below it.
    const expected = [0, 0, 0.25, 0.1];
    for (const [i, value] of view.drawdown.entries()) expect(value).toBeCloseTo(expected[i]!, 12);
    expect(view.maxDrawdown).toBe(0.25);
    expect(view.recordedPoints).toBe(4);
  });

  it('reads each new point once and the last one again, never the whole curve', () => {
    const curve = new Curve();
    const history = new EquityHistory(curve.read, 10);
    for (let i = 0; i < 1_000; i++) {
      curve.record(i, 100 + (i % 7));
      if (i % 10 === 9) history.update();
    }
    // 1 000 points in 100 updates: each new point once, plus the last point again 99 times.
    expect(curve.reads).toBe(1_000 + 99);
    expect(history.view('USDT').recordedPoints).toBe(1_000);
  });

  it('keeps its version and its view while the curve does not change', () => {
    const curve = new Curve();
    const history = new EquityHistory(curve.read, 10);
    history.update();
    expect(history.view('ETH')).toEqual({
      currency: 'ETH',
      times: [],
      equity: [],
      drawdown: [],
      recordedPoints: 0,
      maxDrawdown: 0,
    });
    curve.record(1, 5);
    history.update();
    const version = history.version;
    const view = history.view('ETH');
    history.update();
    expect(history.version).toBe(version);
    expect(history.view('ETH')).toBe(view);
    curve.record(1, 6);
    history.update();
    expect(history.version).toBe(version + 1);
    expect(history.view('ETH').equity).toEqual([6]);
  });

  it('refuses fewer than two points', () => {
    expect(() => new EquityHistory(() => ({ times: [], values: [] }), 1)).toThrow(/maxPoints/);
  });

  it('matches the curve point for point up to maxPoints, then keeps every step-th point, the last and the full curve drawdowns', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            advance: fc.integer({ min: 0, max: 2 }),
            value: fc.double({ min: 1, max: 1e6, noNaN: true }),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        fc.integer({ min: 2, max: 60 }),
        // Updates after every point up to once at the end, so one update may settle many points.
        fc.integer({ min: 1, max: 500 }),
        (steps, maxPoints, updateEvery) => {
          const curve = new Curve();
          const history = new EquityHistory(curve.read, maxPoints);
          let timeMs = 0;
          for (const [i, step] of steps.entries()) {
            timeMs += step.advance;
            curve.record(timeMs, step.value);
            if (i % updateEvery === 0) history.update();
          }
          history.update();
          const view = history.view('USDT');
          const { times, values } = curve;
          const count = values.length;
          expect(view.recordedPoints).toBe(count);
          expect(view.equity.length).toBeLessThanOrEqual(maxPoints + 1);
          expect(view.times.at(-1)).toBe(times.at(-1));
          expect(view.equity.at(-1)).toBe(values.at(-1));
          // Drawdowns worked out on the full curve, independently of the history.
          const downs: number[] = [];
          let peak = Number.NEGATIVE_INFINITY;
          let deepest = 0;
          for (const value of values) {
            peak = Math.max(peak, value);
            const down = 1 - value / peak;
            downs.push(down);
            deepest = Math.max(deepest, down);
          }
          expect(view.maxDrawdown).toBe(deepest);
          if (count <= maxPoints) {
            expect(view).toEqual(equityView(curve, 'USDT', maxPoints));
            return;
          }
          // Times increase, so each point's time names its index in the curve.
          const indices = view.times.map((time) => times.indexOf(time));
          const held = indices.slice(0, -1);
          const stride = held.length > 1 ? held[1]! - held[0]! : 1;
          expect(held[0]).toBe(0);
          expect(Number.isInteger(Math.log2(stride))).toBe(true);
          for (let k = 0; k < held.length; k++) expect(held[k]).toBe(k * stride);
          // Thinned no further than needed: twice as many points would not fit.
          expect(Math.floor((count - 2) / (stride / 2)) + 1).toBeGreaterThan(maxPoints);
          for (const [k, index] of indices.entries()) {
            expect(view.equity[k]).toBe(values[index]);
            expect(view.drawdown[k]).toBe(downs[index]);
          }
        },
      ),
    );
  });
});
