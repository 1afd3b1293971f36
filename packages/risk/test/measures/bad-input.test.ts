import {
  cornishFisherVaR,
  historicalExpectedShortfall,
  historicalVaR,
  monteCarloVaR,
  parametricExpectedShortfall,
  parametricVaR,
} from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { catchValidationError } from './reference.js';

const measures = {
  historicalVaR,
  parametricVaR,
  cornishFisherVaR,
  monteCarloVaR,
  historicalExpectedShortfall,
  parametricExpectedShortfall,
};
const each = Object.entries(measures).map(([name, measure]) => ({ name, measure }));
const returns = [0.01, -0.02, 0.005, -0.004, 0.012];

describe('risk measures on bad input', () => {
  it.each(each)('$name rejects an empty series', ({ measure }) => {
    const error = catchValidationError(() => measure([], { confidence: 0.99 }));
    expect([error.field, error.rule]).toEqual(['returns', 'not be empty']);
  });

  it.each(each)('$name rejects NaN and infinities, naming the index', ({ measure }) => {
    expect(
      catchValidationError(() => measure([0.01, Number.NaN, 0, 0], { confidence: 0.9 })).field,
    ).toBe('returns[1]');
    expect(
      catchValidationError(() => measure([0, 0, 0, Number.NEGATIVE_INFINITY], { confidence: 0.9 }))
        .field,
    ).toBe('returns[3]');
  });

  it.each(each)('$name rejects a confidence outside (0, 1)', ({ measure }) => {
    for (const confidence of [0, 1, 1.5, -0.1, Number.NaN]) {
      const error = catchValidationError(() => measure(returns, { confidence }));
      expect(error.field).toBe('confidence');
      expect(error.value).toBe(confidence);
    }
    expect(catchValidationError(() => measure(returns, {} as { confidence: number })).field).toBe(
      'confidence',
    );
  });

  it.each(each)('$name rejects too few points', ({ measure }) => {
    const error = catchValidationError(() => measure([0.01], { confidence: 0.95 }));
    expect(error.field).toBe('returns');
    expect(error.rule).toMatch(/^have at least \d+ points$/);
  });

  it.each(each)('$name rejects a bad horizon, portfolio value or unknown option', ({ measure }) => {
    expect(
      catchValidationError(() => measure(returns, { confidence: 0.9, horizon: 0 })).field,
    ).toBe('horizon');
    expect(
      catchValidationError(() => measure(returns, { confidence: 0.9, portfolioValue: -5 })).field,
    ).toBe('portfolioValue');
    const misspelt = { confidence: 0.9, horizn: 10 } as { confidence: number };
    expect(catchValidationError(() => measure(returns, misspelt)).field).toBe('horizn');
  });

  it('cornishFisherVaR needs four points and some dispersion', () => {
    expect(
      catchValidationError(() => cornishFisherVaR([0.1, 0.2, 0.3], { confidence: 0.9 })).rule,
    ).toBe('have at least 4 points');
    expect(
      catchValidationError(() => cornishFisherVaR([0.01, 0.01, 0.01, 0.01], { confidence: 0.9 }))
        .field,
    ).toBe('returns');
  });

  it('monteCarloVaR rejects a bad method, path count or seed', () => {
    const bad = (options: object) =>
      catchValidationError(() => monteCarloVaR(returns, { confidence: 0.9, ...options })).field;
    expect(bad({ method: 'garch' })).toBe('method');
    expect(bad({ paths: 1 })).toBe('paths');
    expect(bad({ paths: 10.5 })).toBe('paths');
    expect(bad({ seed: 0.5 })).toBe('seed');
  });
});
