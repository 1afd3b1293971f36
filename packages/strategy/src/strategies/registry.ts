import type { StrategyCatalog, StrategyRegistry } from '../framework/registry.js';
import { BollingerReversion, bollingerReversionSchema } from './bollinger-reversion.js';
import { DonchianBreakout, donchianBreakoutSchema } from './donchian-breakout.js';
import { RsiReversal, rsiReversalSchema } from './rsi-reversal.js';
import { SmaCrossover, smaCrossoverSchema } from './sma-crossover.js';

/**
 * The example strategies as a typed catalog: `sma-crossover` ({@link SmaCrossover}),
 * `bollinger-reversion` ({@link BollingerReversion}), `donchian-breakout`
 * ({@link DonchianBreakout}) and `rsi-reversal` ({@link RsiReversal}), each with its parameter
 * schema. Given to `createStrategy`, a misspelt name, an unknown parameter or a parameter of
 * the wrong type is a compile-time error.
 *
 * @example
 * ```ts
 * import { createStrategy, exampleStrategies } from '@qtp/strategy';
 * const strategy = createStrategy(exampleStrategies, 'rsi-reversal', {
 *   id: 'rsi',
 *   params: { instrumentId: 'XRPETH.BINANCE', quantity: '100' },
 * });
 * const names = Object.keys(exampleStrategies['rsi-reversal'].schema.shape);
 * ```
 */
export const exampleStrategies = {
  'sma-crossover': { schema: smaCrossoverSchema, create: (options) => new SmaCrossover(options) },
  'bollinger-reversion': {
    schema: bollingerReversionSchema,
    create: (options) => new BollingerReversion(options),
  },
  'donchian-breakout': {
    schema: donchianBreakoutSchema,
    create: (options) => new DonchianBreakout(options),
  },
  'rsi-reversal': { schema: rsiReversalSchema, create: (options) => new RsiReversal(options) },
} as const satisfies StrategyCatalog;

/** The name of one of the example strategies. */
export type ExampleStrategyName = keyof typeof exampleStrategies;

/**
 * Returns a new registry holding the example strategies of {@link exampleStrategies}, for names
 * read at run time. Each call returns a fresh `Map`, so adding to one never affects another.
 *
 * @example
 * ```ts
 * import { createStrategy, createStrategyRegistry } from '@qtp/strategy';
 * const registry = createStrategyRegistry();
 * registry.set('my-strategy', (options) => new MyStrategy(options));
 * const strategy = createStrategy(registry, config.strategy, { id: 'main', params: config.params });
 * ```
 */
export function createStrategyRegistry(): StrategyRegistry {
  return new Map(Object.entries(exampleStrategies).map(([name, entry]) => [name, entry.create]));
}
