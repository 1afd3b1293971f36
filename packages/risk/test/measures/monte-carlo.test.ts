import { historicalVaR, monteCarloVaR, parametricVaR } from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { normalDensity, normalQuantile } from '../../src/measures/normal-distribution.js';
import { Xoshiro128 } from '../../src/measures/random.js';

// Normal input without randomness: the normal quantiles at (i + 0.5) / n, scaled and shifted.
function normalSample(n: number, mean: number, sd: number): Float64Array {
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = mean + sd * normalQuantile((i + 0.5) / n);
  return xs;
}

// The standard error of a sample quantile at tail p of a normal with this sd over `paths` draws:
// sqrt(p (1 - p) / paths) / f(q), with the density f(q) = phi(z) / sd.
function quantileStandardError(p: number, sd: number, paths: number): number {
  return (Math.sqrt((p * (1 - p)) / paths) * sd) / normalDensity(normalQuantile(p));
}

function sampleSd(xs: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < xs.length; i++) mean += xs[i]!;
  mean /= xs.length;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - mean) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

describe('monteCarloVaR', () => {
  const input = normalSample(4000, 0.0005, 0.012);
  const sd = sampleSd(input);

  it.each([0.95, 0.99])(
    'normal paths land within three standard errors of parametricVaR at %s',
    (confidence) => {
      const paths = 100_000;
      const expected = parametricVaR(input, { confidence });
      const error = quantileStandardError(1 - confidence, sd, paths);
      for (const seed of [1, 2, 3]) {
        const actual = monteCarloVaR(input, { confidence, paths, seed });
        expect(Math.abs(actual - expected)).toBeLessThan(3 * error);
      }
    },
  );

  it('bootstrap paths land within three standard errors of parametricVaR on normal input', () => {
    const paths = 100_000;
    const confidence = 0.975;
    const expected = parametricVaR(input, { confidence });
    // The history itself is one sample of 4000 more: both errors add in variance.
    const error = Math.hypot(
      quantileStandardError(1 - confidence, sd, paths),
      quantileStandardError(1 - confidence, sd, input.length),
    );
    const actual = monteCarloVaR(input, { confidence, paths, seed: 11, method: 'bootstrap' });
    expect(Math.abs(actual - expected)).toBeLessThan(3 * error);
  });

  it('bootstrap draws only returns of the history', () => {
    const history = [-0.05, 0.01, 0.02, 0.03];
    // Every draw is one of four values; the 1 % quantile of 10,000 draws is the worst, -0.05.
    expect(monteCarloVaR(history, { confidence: 0.99, method: 'bootstrap', seed: 5 })).toBe(0.05);
    // With many paths the bootstrap VaR approaches the historical VaR of the history.
    const many = monteCarloVaR(input, { confidence: 0.9, method: 'bootstrap', paths: 200_000 });
    expect(Math.abs(many - historicalVaR(input, { confidence: 0.9 }))).toBeLessThan(
      3 * quantileStandardError(0.1, sd, 200_000),
    );
  });

  it('gives the same figure for the same seed and another for another seed', () => {
    const a = monteCarloVaR(input, { confidence: 0.99, seed: 42, paths: 5000 });
    expect(monteCarloVaR(input, { confidence: 0.99, seed: 42, paths: 5000 })).toBe(a);
    expect(monteCarloVaR(input, { confidence: 0.99, seed: 43, paths: 5000 })).not.toBe(a);
  });

  it('scales by the square root of the horizon and the portfolio value', () => {
    const one = monteCarloVaR(input, { confidence: 0.99, seed: 9 });
    const scaled = monteCarloVaR(input, {
      confidence: 0.99,
      seed: 9,
      horizon: 4,
      portfolioValue: 1000,
    });
    expect(scaled).toBeCloseTo(one * 2000, 10);
  });
});

describe('the seeded generator', () => {
  it('steps xoshiro128** as the reference algorithm does from a SplitMix32-filled state', () => {
    // Worked independently with Python integers: SplitMix32 fills the state from seed 42, then
    // five steps of the published xoshiro128** 1.0.
    const random = new Xoshiro128(42);
    const outputs = Array.from({ length: 5 }, () => random.nextUint32());
    expect(outputs).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
  });

  it('draws uniforms with mean 1/2 and variance 1/12', () => {
    const random = new Xoshiro128(2026);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const u = random.nextDouble();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      squares += u * u;
    }
    const mean = sum / n;
    // Standard error of the mean: sqrt(1/12 / n) = 0.000645; of the variance well under 0.0005.
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(0.001);
  });

  it('draws normals with mean 0, variance 1 and the normal tail frequency', () => {
    const random = new Xoshiro128(7);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let below = 0;
    for (let i = 0; i < n; i++) {
      const z = random.nextNormal();
      sum += z;
      squares += z * z;
      if (z < -1.959963984540054) below++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(4 / Math.sqrt(n));
    // The variance of z^2 is 2, so the sample second moment has standard error sqrt(2 / n).
    expect(Math.abs(squares / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    // 2.5 % below -1.96, standard error sqrt(0.025 * 0.975 / n).
    expect(Math.abs(below / n - 0.025)).toBeLessThan(4 * Math.sqrt((0.025 * 0.975) / n));
  });
});
