import {
  ewmaCovariance,
  inverseVolatility,
  ledoitWolfCovariance,
  maximumSharpe,
  minimumVariance,
  type PortfolioWeights,
  riskParity,
  sampleCovariance,
  targetReturn,
} from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';
import {
  type ConstructionCase,
  loadConstructionReference,
  loadHourlyReturns,
} from '../../test/construction-reference.js';

const reference = loadConstructionReference();
const returns = loadHourlyReturns();

function expectMatrixClose(actual: number[][], expected: number[][], relative: number): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, row] of actual.entries()) {
    for (const [j, v] of row.entries()) {
      const e = expected[i]![j]!;
      expect(Math.abs(v - e)).toBeLessThanOrEqual(relative * Math.abs(e) + 1e-18);
    }
  }
}

describe('covariance estimators against numpy and pandas', () => {
  it('has the fixture the script described', () => {
    expect(returns.length).toBe(reference.assets.length);
    expect(returns[0]!.length).toBe(reference.observations);
  });

  it('computes the sample covariance as np.cov', () => {
    expectMatrixClose(sampleCovariance(returns), reference.covariance.sample, 1e-10);
  });

  it('computes the EWMA covariance as pandas ewm(adjust=True).cov(bias=True)', () => {
    const { lambda, matrix } = reference.covariance.ewma;
    expectMatrixClose(ewmaCovariance(returns, { lambda }), matrix, 1e-9);
  });

  it('computes the Ledoit-Wolf shrinkage and matrix of the 2004 formula', () => {
    const { matrix, shrinkage } = ledoitWolfCovariance(returns);
    expect(shrinkage).toBeCloseTo(reference.covariance.ledoitWolf.shrinkage, 10);
    expectMatrixClose(matrix, reference.covariance.ledoitWolf.matrix, 1e-10);
  });
});

function solve(c: ConstructionCase): PortfolioWeights {
  const cov = reference.covariance.sample;
  const mu = reference.expectedReturns;
  const { longOnly, lower, upper, riskFreeRate, target, budgets } = c.options;
  const bounds = {
    ...(longOnly === undefined ? {} : { longOnly }),
    ...(lower === undefined ? {} : { lower }),
    ...(upper === undefined ? {} : { upper }),
  };
  switch (c.kind) {
    case 'minimumVariance':
      return minimumVariance(cov, bounds);
    case 'maximumSharpe':
      return maximumSharpe(cov, mu, {
        ...bounds,
        ...(riskFreeRate === undefined ? {} : { riskFreeRate }),
      });
    case 'targetReturn':
      return targetReturn(cov, mu, target!, bounds);
    case 'riskParity':
      return riskParity(cov, budgets === undefined ? {} : { budgets });
    case 'inverseVolatility':
      return inverseVolatility(cov);
  }
}

describe('portfolio construction against scipy.optimize', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const solved = solve(c);
    for (const [i, w] of solved.weights.entries()) {
      expect(Math.abs(w - c.weights[i]!)).toBeLessThan(1e-6);
    }
    expect(solved.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Objectives equal: variance, and for the Sharpe cases the ratio itself.
    expect(Math.abs(solved.variance - c.variance)).toBeLessThan(1e-6 * c.variance);
    if (c.kind === 'maximumSharpe') {
      const rf = c.options.riskFreeRate ?? 0;
      const sharpe = (solved.expectedReturn! - rf) / solved.volatility;
      const expected = (c.expectedReturn - rf) / Math.sqrt(c.variance);
      expect(sharpe).toBeGreaterThanOrEqual(expected - 1e-9 * Math.abs(expected));
    }
  });
});
