import {
  ADX,
  BollingerBands,
  bollinger,
  CMF,
  cmf,
  EMA,
  MACD,
  MFI,
  OBV,
  RollingMax,
  RollingMin,
  RSI,
  rsi,
  SessionVWAP,
  SMA,
  StdDev,
  Stochastic,
  sma,
  stdDev,
  WilliamsR,
  ZScore,
} from '@qtp/strategy';
import { describe, expect, it } from 'vitest';

describe('conventions', () => {
  it('seeds the EMA with the simple average of the first period values', () => {
    const e = new EMA(3);
    expect(e.update(1)).toBeUndefined();
    expect(e.update(2)).toBeUndefined();
    expect(e.update(6)).toBe(3);
    expect(e.update(7)).toBe(5);
  });

  it('gives RSI 100 without losses and 50 on a flat window', () => {
    expect(rsi([1, 2, 3, 4], 3)[3]).toBe(100);
    expect(rsi([5, 5, 5, 5], 3)[3]).toBe(50);
  });

  it('gives stochastic %K 50 and Williams %R -50 when the range is zero', () => {
    const stoch = new Stochastic(2, 1);
    stoch.update(5, 5, 5);
    expect(stoch.update(5, 5, 5)).toEqual({ k: 50, d: 50 });
    const wr = new WilliamsR(1);
    expect(wr.update(5, 5, 5)).toBe(-50);
  });

  it('lets a bar whose high equals its low contribute 0 to CMF', () => {
    expect(cmf([10, 10], [10, 10], [10, 10], [100, 100], 2)[1]).toBe(0);
    const c = new CMF(1);
    expect(c.update(10, 10, 10, 0)).toBe(0);
  });

  it('gives MFI 100 without negative flow and 50 without any flow', () => {
    const m = new MFI(2);
    m.update(2, 1, 1.5, 10);
    m.update(3, 2, 2.5, 10);
    expect(m.update(4, 3, 3.5, 10)).toBe(100);
    const flat = new MFI(2);
    for (let i = 0; i < 3; i++) flat.update(2, 1, 1.5, 10);
    expect(flat.value).toBe(50);
  });

  it('starts OBV from the first volume and ignores unchanged closes', () => {
    const o = new OBV();
    expect(o.update(10, 100)).toBe(100);
    expect(o.update(10, 40)).toBe(100);
    expect(o.update(9, 30)).toBe(70);
  });

  it('restarts the session VWAP at a session boundary', () => {
    const day = 86_400_000;
    const v = new SessionVWAP();
    v.update(day - 1, 10, 1);
    expect(v.update(day, 20, 1)).toBe(20);
    const shifted = new SessionVWAP({ offsetMs: 3_600_000 });
    shifted.update(day - 1, 10, 1);
    expect(shifted.update(day, 20, 1)).toBe(15);
  });

  it('reaches ADX 100 on a steady rise', () => {
    const a = new ADX(3);
    for (let i = 0; i < 12; i++) a.update(101 + i, 99 + i, 100 + i);
    expect(a.value).toEqual({ adx: 100, plusDi: expect.any(Number), minusDi: 0 });
  });

  it('overwrites one result object per instance', () => {
    const macd = new MACD(2, 3, 2);
    const first = [1, 2, 3, 4].map((x) => macd.update(x)).at(-1);
    const second = macd.update(5);
    expect(second).toBe(first);
    const bands = new BollingerBands(2);
    bands.update(1);
    expect(bands.update(2)).toBe(bands.update(3));
  });
});

describe('numerical stability', () => {
  it('keeps the rolling deviation accurate far from zero over a long series', () => {
    // A running sum of squares loses every digit here: 1e9 squared leaves no room for 0.01.
    let seed = 7;
    const next = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const values = Float64Array.from({ length: 200_000 }, () => 1e9 + next() - 0.5);
    const period = 50;
    const sd = new StdDev(period);
    let last: number | undefined;
    for (const v of values) last = sd.update(v);
    const tail = values.subarray(values.length - period);
    const mean = tail.reduce((a, b) => a + b, 0) / period;
    const exact = Math.sqrt(tail.reduce((a, b) => a + (b - mean) ** 2, 0) / period);
    expect(Math.abs(last! - exact) / exact).toBeLessThan(1e-6);
    expect(stdDev(values, period)[values.length - 1]).toBe(last);
  });

  it('returns a zero deviation, a zero z-score and collapsed bands for a constant series', () => {
    const values = new Array(100).fill(0.1 + 0.2);
    expect(stdDev(values, 10)[99]).toBe(0);
    const z = new ZScore(10);
    for (const v of values) z.update(v);
    expect(z.value).toBe(0);
    const { upper, lower } = bollinger(values, 10);
    expect(upper[99]).toBe(lower[99]);
  });
});

describe('NaN inputs', () => {
  it('keep running-sum indicators NaN until reset', () => {
    const s = new SMA(2);
    s.update(1);
    s.update(Number.NaN);
    s.update(2);
    expect(s.update(3)).toBeNaN();
    s.reset();
    s.update(1);
    expect(s.update(3)).toBe(2);
    expect(sma([1, Number.NaN, 2, 3, 4], 2)[4]).toBeNaN();
  });

  it('make rolling min and max NaN only while inside the window', () => {
    const low = new RollingMin(2);
    const high = new RollingMax(2);
    const lows = [3, Number.NaN, 1, 2, 0].map((v) => low.update(v));
    const highs = [3, Number.NaN, 1, 2, 0].map((v) => high.update(v));
    expect(lows).toEqual([undefined, Number.NaN, Number.NaN, 1, 0]);
    expect(highs).toEqual([undefined, Number.NaN, Number.NaN, 2, 2]);
  });

  it('do not throw', () => {
    expect(() => new RSI(2).update(Number.NaN)).not.toThrow();
  });
});
