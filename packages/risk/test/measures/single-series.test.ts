import {
  cornishFisherVaR,
  historicalExpectedShortfall,
  historicalVaR,
  parametricExpectedShortfall,
  parametricVaR,
} from '@qtp/risk';
import { describe, expect, it } from 'vitest';
import { expectClose, loadCloses, loadReference, simpleReturnsOf } from './reference.js';

const reference = loadReference();
const cases = reference.assets.flatMap((asset) => {
  const returns = simpleReturnsOf(loadCloses(asset).closes);
  return reference.single[asset]!.measures.map((expected) => ({
    name: `${asset} at ${expected.confidence}`,
    returns,
    expected,
  }));
});

describe('single-series VaR and expected shortfall against scipy', () => {
  it('covers four assets at four confidence levels', () => {
    expect(cases).toHaveLength(16);
  });

  it.each(cases)('historicalVaR matches numpy for $name', ({ returns, expected }) => {
    expectClose(
      historicalVaR(returns, { confidence: expected.confidence }),
      expected.historicalVaR,
    );
  });

  it.each(cases)('parametricVaR matches scipy for $name', ({ returns, expected }) => {
    expectClose(
      parametricVaR(returns, { confidence: expected.confidence }),
      expected.parametricVaR,
    );
  });

  it.each(cases)('cornishFisherVaR matches scipy moments for $name', ({ returns, expected }) => {
    expectClose(
      cornishFisherVaR(returns, { confidence: expected.confidence }),
      expected.cornishFisherVaR,
    );
  });

  it.each(cases)('historicalExpectedShortfall matches numpy for $name', ({ returns, expected }) => {
    expectClose(
      historicalExpectedShortfall(returns, { confidence: expected.confidence }),
      expected.historicalExpectedShortfall,
    );
  });

  it.each(cases)('parametricExpectedShortfall matches scipy for $name', ({ returns, expected }) => {
    expectClose(
      parametricExpectedShortfall(returns, { confidence: expected.confidence }),
      expected.parametricExpectedShortfall,
    );
  });

  it('scales by the square root of the horizon and by the portfolio value', () => {
    const { returns, expected } = cases[5]!;
    const options = { confidence: expected.confidence, horizon: 288, portfolioValue: 2.5 };
    const factor = Math.sqrt(288) * 2.5;
    expectClose(historicalVaR(returns, options), expected.historicalVaR * factor);
    expectClose(parametricVaR(returns, options), expected.parametricVaR * factor);
    expectClose(cornishFisherVaR(returns, options), expected.cornishFisherVaR * factor);
    expectClose(
      historicalExpectedShortfall(returns, options),
      expected.historicalExpectedShortfall * factor,
    );
    expectClose(
      parametricExpectedShortfall(returns, options),
      expected.parametricExpectedShortfall * factor,
    );
  });
});
