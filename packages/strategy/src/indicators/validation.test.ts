import { isQtpError, type ValidationError } from '@qtp/core';
import {
  ADX,
  adx,
  BollingerBands,
  bollinger,
  CCI,
  donchian,
  EMA,
  Keltner,
  MACD,
  macd,
  mfi,
  RollingMax,
  RollingMin,
  RSI,
  SessionVWAP,
  SMA,
  StdDev,
  Stochastic,
  sessionVwap,
  sma,
  stdDev,
  stochastic,
  VWAP,
} from '@qtp/strategy';
import { describe, expect, it } from 'vitest';

function thrown(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parameter validation', () => {
  it.each([0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects period %s naming the field and the rule',
    (period) => {
      const error = thrown(() => new SMA(period));
      expect(error.field).toBe('period');
      expect(error.rule).toBe('be an integer >= 1');
      expect(error.message).toContain('period: must be an integer >= 1');
    },
  );

  it('rejects a period in the batch form as in the class', () => {
    expect(thrown(() => sma([1, 2, 3], 0)).field).toBe('period');
    expect(thrown(() => bollinger([1, 2, 3], 1.5)).field).toBe('period');
  });

  it('rejects MACD with fast not below slow', () => {
    const error = thrown(() => new MACD(26, 26, 9));
    expect(error.field).toBe('fast');
    expect(error.message).toBe('fast: must be less than slow (26), was 26');
    expect(thrown(() => macd([1, 2], 30, 26, 9)).field).toBe('fast');
  });

  it('names each MACD period that is not a positive integer', () => {
    expect(thrown(() => new MACD(0, 26, 9)).field).toBe('fast');
    expect(thrown(() => new MACD(12, 26.5, 9)).field).toBe('slow');
    expect(thrown(() => new MACD(12, 26, 0)).field).toBe('signal');
  });

  it('names the stochastic period that is wrong', () => {
    expect(thrown(() => new Stochastic(0, 3)).field).toBe('kPeriod');
    expect(thrown(() => new Stochastic(14, -3)).field).toBe('dPeriod');
    expect(thrown(() => stochastic([1], [1], [1], 14, 0)).field).toBe('dPeriod');
  });

  it('rejects a band width that is not a positive finite number', () => {
    expect(thrown(() => new BollingerBands(20, 0)).field).toBe('k');
    expect(thrown(() => new BollingerBands(20, Number.NaN)).field).toBe('k');
    expect(thrown(() => new Keltner(20, -1, 10)).field).toBe('multiplier');
    expect(thrown(() => new Keltner(20, 2, 0)).field).toBe('atrPeriod');
    expect(thrown(() => new CCI(20, 0)).field).toBe('constant');
  });

  it('requires two values for a sample standard deviation', () => {
    expect(() => new StdDev(1)).not.toThrow();
    expect(thrown(() => new StdDev(1, { sample: true })).rule).toBe('be an integer >= 2');
    expect(thrown(() => stdDev([1, 2], 1, { sample: true })).field).toBe('period');
  });

  it('rejects inputs of different lengths naming the short series', () => {
    const error = thrown(() => adx([1, 2, 3], [1, 2, 3], [1, 2], 2));
    expect(error.field).toBe('close');
    expect(error.message).toBe('close: must have the length of high (3), was 2');
    expect(thrown(() => donchian([1, 2], [1], 2)).field).toBe('low');
    expect(thrown(() => mfi([1], [1], [1], [1, 2], 2)).field).toBe('volume');
    expect(thrown(() => sessionVwap([1], [1, 2], [1])).field).toBe('price');
  });

  it('rejects a session length that is not positive', () => {
    expect(thrown(() => new SessionVWAP({ sessionMs: 0 })).field).toBe('sessionMs');
    expect(thrown(() => new SessionVWAP({ offsetMs: Number.NaN })).field).toBe('offsetMs');
  });

  it('accepts the smallest valid periods', () => {
    for (const make of [
      () => new SMA(1),
      () => new EMA(1),
      () => new RSI(1),
      () => new ADX(1),
      () => new RollingMin(1),
      () => new RollingMax(1),
      () => new VWAP(1),
      () => new MACD(1, 2, 1),
    ]) {
      expect(make).not.toThrow();
    }
  });
});

describe('batch edge cases', () => {
  it('returns an empty array for an empty series', () => {
    expect(sma([], 3)).toEqual(new Float64Array(0));
    expect(adx([], [], [], 14).adx).toEqual(new Float64Array(0));
  });

  it('returns only NaN when the series is shorter than the warm-up', () => {
    expect(Array.from(sma([1, 2], 3))).toEqual([Number.NaN, Number.NaN]);
  });

  it('accepts typed arrays and plain arrays alike', () => {
    expect(sma(new Float32Array([1, 2, 3]), 2)).toEqual(sma([1, 2, 3], 2));
  });
});
