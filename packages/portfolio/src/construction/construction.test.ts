import { isQtpError } from '@qtp/core';
import {
  equalWeight,
  inverseVolatility,
  ledoitWolfCovariance,
  maximumSharpe,
  minimumVariance,
  riskParity,
  sampleCovariance,
  targetReturn,
} from '@qtp/portfolio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const COV = [
  [0.04, 0.006],
  [0.006, 0.01],
];

function fieldOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return (error as { field: string }).field;
  }
  throw new Error('expected a ValidationError');
}

describe('mean-variance constructions on two assets, worked by hand', () => {
  it('puts (s2 - s12) / (s1 + s2 - 2 s12) in the first asset at minimum variance', () => {
    const { weights, variance } = minimumVariance(COV);
    expect(weights[0]).toBeCloseTo(0.004 / 0.038, 12);
    expect(weights[1]).toBeCloseTo(0.034 / 0.038, 12);
    expect(variance).toBeCloseTo(
      0.04 * (0.004 / 0.038) ** 2 +
        0.01 * (0.034 / 0.038) ** 2 +
        (2 * 0.006 * (0.004 * 0.034)) / 0.038 ** 2,
      14,
    );
  });

  it('caps a weight at its upper bound', () => {
    const { weights } = minimumVariance(COV, { upper: 0.8 });
    expect(weights[1]).toBeCloseTo(0.8, 12);
    expect(weights[0]).toBeCloseTo(0.2, 12);
  });

  it('meets a target return exactly: two assets leave one portfolio', () => {
    const { weights, expectedReturn } = targetReturn(COV, [0.08, 0.03], 0.05);
    expect(weights[0]).toBeCloseTo(0.4, 12);
    expect(expectedReturn).toBeCloseTo(0.05, 12);
  });

  it('finds the tangency portfolio proportional to inv(S) (mu - rf)', () => {
    // inv(S)(mu - rf) with mu - rf = [0.07, 0.02] is proportional to [0.00058, 0.00038].
    const { weights } = maximumSharpe(COV, [0.08, 0.03], { riskFreeRate: 0.01 });
    expect(weights[0]).toBeCloseTo(0.58 / 0.96, 10);
    expect(weights[1]).toBeCloseTo(0.38 / 0.96, 10);
  });

  it('gives no larger Sharpe ratio to any other long-only mix', () => {
    const mu = [0.08, 0.03];
    const best = maximumSharpe(COV, mu);
    const sharpe = (w: number) =>
      (w * 0.08 + (1 - w) * 0.03) /
      Math.sqrt(0.04 * w * w + 0.01 * (1 - w) ** 2 + 0.012 * w * (1 - w));
    const bestSharpe = best.expectedReturn! / best.volatility;
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w) => sharpe(w) <= bestSharpe + 1e-12,
      ),
    );
  });

  it('rejects bounds no portfolio fits and a target out of reach', () => {
    expect(fieldOf(() => minimumVariance(COV, { upper: 0.4 }))).toBe('upper');
    expect(fieldOf(() => minimumVariance(COV, { lower: [0.7, 0.6] }))).toBe('lower');
    expect(fieldOf(() => targetReturn(COV, [0.08, 0.03], 0.2))).toBe('target');
    expect(fieldOf(() => maximumSharpe(COV, [-0.01, -0.02]))).toBe('expectedReturns');
  });

  it('rejects a matrix that is not symmetric or has a zero variance', () => {
    expect(
      fieldOf(() =>
        minimumVariance([
          [0.04, 0.01],
          [0.02, 0.01],
        ]),
      ),
    ).toBe('covariance[0][1]');
    expect(
      fieldOf(() =>
        minimumVariance([
          [0, 0],
          [0, 0.01],
        ]),
      ),
    ).toBe('covariance[0][0]');
  });
});

describe('risk parity and simple weights', () => {
  it('weights uncorrelated assets by inverse volatility, and so does ERC', () => {
    const diagonal = [
      [0.04, 0],
      [0, 0.01],
    ];
    expect(inverseVolatility(diagonal).weights).toEqual([1 / 3, 2 / 3]);
    const erc = riskParity(diagonal);
    expect(erc.weights[0]).toBeCloseTo(1 / 3, 12);
    expect(erc.riskContributions[0]).toBeCloseTo(0.5, 12);
  });

  it('equalises risk contributions for any random covariance', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.double({ min: -0.05, max: 0.05, noNaN: true }), {
            minLength: 30,
            maxLength: 30,
          }),
          {
            minLength: 2,
            maxLength: 6,
          },
        ),
        (series) => {
          const cov = sampleCovariance(
            series.map((s, i) => s.map((v, k) => v + 0.001 * ((k * (i + 1)) % 7))),
          );
          const { weights, riskContributions } = riskParity(cov);
          for (const w of weights) expect(w).toBeGreaterThan(0);
          for (const rc of riskContributions) expect(rc).toBeCloseTo(1 / weights.length, 8);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('honours risk budgets', () => {
    const { riskContributions } = riskParity(COV, { budgets: [0.7, 0.3] });
    expect(riskContributions[0]).toBeCloseTo(0.7, 12);
  });

  it('splits equally and rejects a count below one', () => {
    expect(equalWeight(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(fieldOf(() => equalWeight(0))).toBe('assets');
  });

  it('shrinks fully to the identity target when every period is the same', () => {
    const flat = ledoitWolfCovariance([
      [0.01, 0.02, 0.03],
      [0.03, 0.02, 0.01],
    ]);
    expect(flat.shrinkage).toBeGreaterThanOrEqual(0);
    expect(flat.shrinkage).toBeLessThanOrEqual(1);
  });
});
