import {
  alignReturns,
  componentVaR,
  portfolioHistoricalVaR,
  portfolioMonteCarloVaR,
  portfolioParametricVaR,
  portfolioReturns,
} from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { normalDensity, normalQuantile } from '../../src/measures/normal-distribution.js';
import { catchValidationError, expectClose, loadCloses, loadReference } from './reference.js';

const reference = loadReference();
const expected = reference.portfolio;
const data = alignReturns(
  Object.fromEntries(
    reference.assets.map((asset) => {
      const { times, closes } = loadCloses(asset);
      return [asset, { times, prices: closes }];
    }),
  ),
);
const holdings = [
  { name: 'weights', options: { weights: expected.weights }, rows: expected.byWeights },
  { name: 'positions', options: { positions: expected.positions }, rows: expected.byPositions },
];
const cases = holdings.flatMap(({ name, options, rows }) =>
  rows.map((row) => ({ name: `${name} at ${row.confidence}`, options, row })),
);

describe('portfolio VaR against numpy and pandas', () => {
  it('joins the four histories on their shared times', () => {
    expect(data.assets).toEqual(reference.assets);
    expect(data.times.length).toBe(expected.sharedBars);
    expect(data.times[0]).toBe(expected.firstTime);
    expect(data.times.at(-1)).toBe(expected.lastTime);
    expect(Array.from(data.lastPrices)).toEqual(expected.lastCloses);
    for (const column of data.returns) expect(column.length).toBe(expected.sharedBars - 1);
  });

  it.each(cases)('portfolioHistoricalVaR matches numpy with $name', ({ options, row }) => {
    expectClose(
      portfolioHistoricalVaR(data, { ...options, confidence: row.confidence }),
      row.historicalVaR,
    );
  });

  it.each(cases)('portfolioParametricVaR matches numpy with $name', ({ options, row }) => {
    expectClose(
      portfolioParametricVaR(data, { ...options, confidence: row.confidence }),
      row.parametricVaR,
    );
  });

  it.each(cases)(
    'componentVaR matches numpy with $name, and sums to the total',
    ({ options, row }) => {
      const result = componentVaR(data, { ...options, confidence: row.confidence });
      expectClose(result.total, row.parametricVaR);
      result.contributions.forEach((contribution, i) => {
        expect(contribution.asset).toBe(reference.assets[i]);
        expectClose(contribution.marginalVaR, row.marginalVaR[i]!);
        expectClose(contribution.componentVaR, row.componentVaR[i]!);
      });
      const sum = result.contributions.reduce((total, c) => total + c.componentVaR, 0);
      expectClose(sum, result.total, 1e-12);
      const shares = result.contributions.reduce((total, c) => total + c.share, 0);
      expectClose(shares, 1, 1e-12);
    },
  );

  it('values positions at the last shared close', () => {
    const result = componentVaR(data, { confidence: 0.99, positions: expected.positions });
    result.contributions.forEach((contribution, i) => {
      expectClose(contribution.exposure, expected.exposures[i]!, 1e-15);
    });
  });

  it('scales by the square root of the horizon and the portfolio value', () => {
    const row = expected.byWeights[1]!;
    const options = { confidence: row.confidence, weights: expected.weights, horizon: 12 };
    expectClose(
      portfolioParametricVaR(data, { ...options, portfolioValue: 50 }),
      row.parametricVaR * Math.sqrt(12) * 50,
    );
    expectClose(portfolioHistoricalVaR(data, options), row.historicalVaR * Math.sqrt(12));
  });

  it('Monte Carlo lands within three standard errors of the parametric VaR', () => {
    // The simulation is normal with the sample moments, so the only error is sampling: the
    // quantile's standard error sqrt(p (1 - p) / paths) * sigma / phi(z).
    const row = expected.byPositions[3]!;
    const paths = 100_000;
    const p = 1 - row.confidence;
    const options = { confidence: row.confidence, positions: expected.positions, paths };
    const sigma = sigmaOf(expected.exposures);
    const error = (Math.sqrt((p * (1 - p)) / paths) * sigma) / normalDensity(normalQuantile(p));
    for (const seed of [1, 2]) {
      const actual = portfolioMonteCarloVaR(data, { ...options, seed });
      expect(Math.abs(actual - row.parametricVaR)).toBeLessThan(3 * error);
    }
  });

  it('gives the portfolio series single-series measures can read', () => {
    const series = portfolioReturns(data, { weights: { DASH: 1 } });
    expect(Array.from(series)).toEqual(Array.from(data.returns[0]!));
  });
});

// The portfolio's P&L standard deviation from its own series, an independent route to sigma.
function sigmaOf(exposures: number[]): number {
  const series = portfolioReturns(data, {
    positions: Object.fromEntries(
      reference.assets.map((asset, i) => [asset, exposures[i]! / data.lastPrices[i]!]),
    ),
  });
  let mean = 0;
  for (const x of series) mean += x;
  mean /= series.length;
  let s = 0;
  for (const x of series) s += (x - mean) ** 2;
  return Math.sqrt(s / (series.length - 1));
}

describe('alignReturns and the portfolio options', () => {
  it('joins on the times every asset has and returns between consecutive shared times', () => {
    const aligned = alignReturns({
      BTC: { times: [1, 2, 3, 4, 6], prices: [100, 110, 99, 99, 90] },
      ETH: { times: [0, 1, 2, 4, 5, 6], prices: [9, 10, 11, 12.1, 13, 11] },
    });
    expect(Array.from(aligned.times)).toEqual([1, 2, 4, 6]);
    expect(Array.from(aligned.lastPrices)).toEqual([90, 11]);
    const [btc, eth] = aligned.returns;
    for (const [i, r] of [0.1, -0.1, 90 / 99 - 1].entries()) expect(btc![i]).toBeCloseTo(r, 15);
    for (const [i, r] of [0.1, 0.1, 11 / 12.1 - 1].entries()) expect(eth![i]).toBeCloseTo(r, 15);
  });

  it('rejects unsorted times, bad prices and too little overlap', () => {
    const field = (histories: object) =>
      catchValidationError(() => alignReturns(histories as never)).field;
    expect(field({ A: { times: [1, 3, 2], prices: [1, 1, 1] } })).toBe('histories.A.times[2]');
    expect(field({ A: { times: [1, 2, 3], prices: [1, 0, 1] } })).toBe('histories.A.prices[1]');
    expect(field({ A: { times: [1, 2, 3], prices: [1, 2] } })).toBe('histories.A.prices');
    expect(
      field({ A: { times: [1, 2, 3], prices: [1, 2, 3] }, B: { times: [3, 4], prices: [1, 2] } }),
    ).toBe('histories');
    expect(field({})).toBe('histories');
  });

  it('needs exactly one of weights and positions, naming known assets', () => {
    const bad = (options: object) =>
      catchValidationError(() =>
        portfolioParametricVaR(data, { confidence: 0.99, ...options } as never),
      ).field;
    expect(bad({})).toBe('weights');
    expect(bad({ weights: { DASH: 1 }, positions: { DASH: 1 } })).toBe('weights');
    expect(bad({ weights: { BTC: 1 } })).toBe('weights.BTC');
    expect(bad({ positions: { LTC: Number.NaN } })).toBe('positions.LTC');
    expect(bad({ positions: { LTC: 1 }, portfolioValue: 10 })).toBe('portfolioValue');
    expect(bad({ weights: { LTC: 1 }, confidence: 1 })).toBe('confidence');
    expect(bad({ weights: { LTC: 1 }, seed: 3 })).toBe('seed');
  });
});
