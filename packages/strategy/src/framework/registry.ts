import { ValidationError } from '@qtp/core';
import type { Strategy, StrategyOptions } from './strategy.js';

/** Builds a strategy from an id and raw parameters; a registry maps names to these. */
export type StrategyFactory = (options: StrategyOptions) => Strategy<object>;

/**
 * Strategy factories by name, so a config file or a command line can pick a strategy by name:
 * one plain `Map`. `createStrategyRegistry` returns one holding the example strategies; add your
 * own with `set`.
 */
export type StrategyRegistry = Map<string, StrategyFactory>;

/**
 * Builds the strategy registered under `name`.
 *
 * @throws {@link @qtp/core!ValidationError} naming `strategy` when no factory has that name, or
 * whatever the factory throws (a bad parameter names `params.<path>`)
 * @example
 * ```ts
 * import { createStrategy, createStrategyRegistry } from '@qtp/strategy';
 * const registry = createStrategyRegistry();
 * const strategy = createStrategy(registry, 'sma-crossover', {
 *   id: 'xrp-trend',
 *   params: { instrumentId: 'XRPETH.BINANCE', fastPeriod: 10, slowPeriod: 30, quantity: '100' },
 * });
 * ```
 */
export function createStrategy(
  registry: ReadonlyMap<string, StrategyFactory>,
  name: string,
  options: StrategyOptions,
): Strategy<object> {
  const factory = registry.get(name);
  if (factory === undefined) {
    const names = [...registry.keys()].sort().join(', ');
    throw new ValidationError('strategy', `be one of ${names === '' ? '(none)' : names}`, name);
  }
  return factory(options);
}
