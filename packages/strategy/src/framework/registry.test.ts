import { isQtpError } from '@qtp/core';
import {
  type CatalogParams,
  createStrategy,
  createStrategyRegistry,
  type ExampleStrategyName,
  exampleStrategies,
  SmaCrossover,
} from '@qtp/strategy';
import { describe, expect, expectTypeOf, it } from 'vitest';

const SMA_PARAMS = {
  instrumentId: 'XRPETH.BINANCE',
  fastPeriod: 10,
  slowPeriod: 30,
  quantity: '100',
};

describe('createStrategy with a catalog', () => {
  it('builds the strategy named in the catalog with its parameters', () => {
    const strategy = createStrategy(exampleStrategies, 'sma-crossover', {
      id: 'trend',
      params: SMA_PARAMS,
    });
    expect(strategy).toBeInstanceOf(SmaCrossover);
    expect(strategy.params).toMatchObject({ fastPeriod: 10, slowPeriod: 30, quantity: '100' });
  });

  it('refuses at compile time a misspelt name, an unknown parameter and a wrongly typed one', () => {
    // Each line below is a type error that tsc reports; at run time each also throws.
    expect(() =>
      // @ts-expect-error: no strategy is named sma-crosover
      createStrategy(exampleStrategies, 'sma-crosover', { id: 'a', params: SMA_PARAMS }),
    ).toThrow(/strategy: must be one of bollinger-reversion/);
    expect(() =>
      // @ts-expect-error: fastPeriod is misspelt
      createStrategy(exampleStrategies, 'sma-crossover', {
        id: 'b',
        params: { ...SMA_PARAMS, fastPeriode: 5 },
      }),
    ).toThrow(/fastPeriode/);
    expect(() =>
      // @ts-expect-error: a booked quantity is a decimal string, not a number
      createStrategy(exampleStrategies, 'sma-crossover', {
        id: 'c',
        params: { ...SMA_PARAMS, quantity: 100 },
      }),
    ).toThrow(/params\.quantity/);
  });

  it('types the parameters of each example strategy from its schema', () => {
    expectTypeOf<ExampleStrategyName>().toEqualTypeOf<
      'sma-crossover' | 'bollinger-reversion' | 'donchian-breakout' | 'rsi-reversal'
    >();
    type Sma = CatalogParams<typeof exampleStrategies, 'sma-crossover'>;
    expectTypeOf<Sma['quantity']>().toEqualTypeOf<string>();
    expectTypeOf<Sma['fastPeriod']>().toEqualTypeOf<number | undefined>();
  });

  it('names the strategies it has when the name is unknown at run time', () => {
    const name: string = 'nope';
    try {
      createStrategy(createStrategyRegistry(), name, { id: 'd', params: SMA_PARAMS });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
      expect((error as Error).message).toContain('rsi-reversal, sma-crossover');
    }
  });

  it('holds the same strategies in the registry as in the catalog', () => {
    expect([...createStrategyRegistry().keys()].sort()).toEqual(
      Object.keys(exampleStrategies).sort(),
    );
  });
});
