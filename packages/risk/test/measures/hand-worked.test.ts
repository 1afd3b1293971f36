import {
  cornishFisherVaR,
  historicalExpectedShortfall,
  historicalVaR,
  parametricExpectedShortfall,
  parametricVaR,
} from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { expectClose } from './reference.js';

// Sorted: -0.03, -0.01, 0, 0.01, 0.02. At confidence 0.8 the tail is 0.2: position
// (5 - 1) * 0.2 = 0.8 between the first two order statistics, -0.03 + 0.8 * 0.02 = -0.014.
const five = [0.01, -0.03, 0.02, 0, -0.01];
// Mean 0; squared deviations sum to 4e-4, so the sample sd is sqrt(4e-4 / 3) = 0.0115470...
const alternating = [-0.01, 0.01, -0.01, 0.01];
const sd = Math.sqrt(4e-4 / 3);

describe('measures worked by hand', () => {
  it('historicalVaR interpolates between order statistics (type 7)', () => {
    expectClose(historicalVaR(five, { confidence: 0.8 }), 0.014);
    // Tail 0.5: the median, 0.
    expect(historicalVaR(five, { confidence: 0.5 })).toBe(-0);
    // Tail 0.75: position 3, exactly 0.01, a gain: the VaR is negative.
    expectClose(historicalVaR(five, { confidence: 0.25 }), -0.01);
  });

  it('historicalExpectedShortfall averages the returns at or below the quantile', () => {
    expectClose(historicalExpectedShortfall(five, { confidence: 0.8 }), 0.03);
    // Tail 0.5: the quantile is 0, and -0.03, -0.01, 0 lie at or below it.
    expectClose(historicalExpectedShortfall(five, { confidence: 0.5 }), 0.04 / 3);
  });

  it('parametricVaR is z standard deviations below the mean', () => {
    // z at 0.01 is -2.326347874040841 (scipy norm.ppf)
    expectClose(parametricVaR(alternating, { confidence: 0.99 }), 2.326347874040841 * sd);
    // A mean of 0.001 lowers the loss by 0.001.
    const shifted = alternating.map((r) => r + 0.001);
    expectClose(parametricVaR(shifted, { confidence: 0.99 }), 2.326347874040841 * sd - 0.001);
  });

  it('parametricExpectedShortfall is the normal tail mean', () => {
    // phi(-1.959963984540054) = 0.058445069805035325; divided by 0.025
    const expected = (0.058445069805035325 / 0.025) * sd;
    expectClose(parametricExpectedShortfall(alternating, { confidence: 0.975 }), expected, 1e-12);
  });

  it('cornishFisherVaR applies the fourth-order expansion', () => {
    // Skewness 0, moment excess kurtosis 1e-8 / (1e-4)^2 - 3 = -2:
    // z_cf = z + (z^3 - 3z)(-2) / 24
    const z = -2.326347874040841;
    const zcf = z + ((z ** 3 - 3 * z) * -2) / 24;
    expectClose(cornishFisherVaR(alternating, { confidence: 0.99 }), -zcf * sd, 1e-12);
  });

  it('cornishFisherVaR equals parametricVaR when skewness and excess kurtosis are 0', () => {
    // Symmetric with m4 / m2^2 = 3: values -a, 0 x k, a with 2a^4 / n / (2a^2 / n)^2 = n / 2 = 3.
    const returns = [-0.02, 0, 0, 0, 0, 0.02];
    expectClose(
      cornishFisherVaR(returns, { confidence: 0.95 }),
      parametricVaR(returns, { confidence: 0.95 }),
      1e-12,
    );
  });

  it('reads any array-like: a typed array gives the figure an array gives', () => {
    expect(historicalVaR(Float64Array.from(five), { confidence: 0.8 })).toBe(
      historicalVaR(five, { confidence: 0.8 }),
    );
    expect(parametricVaR(Float32Array.from([0.5, -0.25]), { confidence: 0.9 })).toBeGreaterThan(0);
  });
});
