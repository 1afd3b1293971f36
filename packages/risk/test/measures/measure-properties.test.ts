import {
  alignReturns,
  componentVaR,
  historicalExpectedShortfall,
  historicalVaR,
  parametricExpectedShortfall,
  parametricVaR,
} from '@qtp/risk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const returnSeries = fc.array(
  fc.integer({ min: -5000, max: 5000 }).map((x) => x / 100_000),
  { minLength: 2, maxLength: 200 },
);
const confidence = fc.integer({ min: 50, max: 999 }).map((x) => x / 1000);

describe('properties of the measures', () => {
  it('expected shortfall is never below the VaR at the same confidence', () => {
    fc.assert(
      fc.property(returnSeries, confidence, (returns, c) => {
        const options = { confidence: c };
        const slack = 1e-12;
        expect(historicalExpectedShortfall(returns, options)).toBeGreaterThanOrEqual(
          historicalVaR(returns, options) - slack,
        );
        expect(parametricExpectedShortfall(returns, options)).toBeGreaterThanOrEqual(
          parametricVaR(returns, options) - slack,
        );
      }),
    );
  });

  it('VaR does not fall as the confidence rises', () => {
    fc.assert(
      fc.property(returnSeries, confidence, confidence, (returns, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(historicalVaR(returns, { confidence: high })).toBeGreaterThanOrEqual(
          historicalVaR(returns, { confidence: low }) - 1e-15,
        );
      }),
    );
  });

  it('component VaR sums to the parametric total for any holdings', () => {
    const histories = fc.array(
      fc.array(fc.integer({ min: -300, max: 300 }), { minLength: 6, maxLength: 6 }),
      { minLength: 3, maxLength: 3 },
    );
    const weight = fc.integer({ min: -100, max: 100 }).map((x) => x / 100);
    fc.assert(
      fc.property(histories, fc.tuple(weight, weight, weight), (moves, weights) => {
        const times = [0, 1, 2, 3, 4, 5];
        const data = alignReturns(
          Object.fromEntries(
            moves.map((steps, a) => {
              let price = 100;
              return [`A${a}`, { times, prices: steps.map((m) => (price *= 1 + m / 10_000)) }];
            }),
          ),
        );
        const result = componentVaR(data, {
          confidence: 0.975,
          weights: { A0: weights[0], A1: weights[1], A2: weights[2] },
        });
        const sum = result.contributions.reduce((total, c) => total + c.componentVaR, 0);
        expect(Math.abs(sum - result.total)).toBeLessThanOrEqual(1e-12);
      }),
    );
  });
});
