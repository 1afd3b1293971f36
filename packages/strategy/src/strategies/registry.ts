import type { StrategyFactory, StrategyRegistry } from '../framework/registry.js';
import { BollingerReversion } from './bollinger-reversion.js';
import { DonchianBreakout } from './donchian-breakout.js';
import { RsiReversal } from './rsi-reversal.js';
import { SmaCrossover } from './sma-crossover.js';

/**
 * Returns a new registry holding the example strategies: `sma-crossover` ({@link SmaCrossover}),
 * `bollinger-reversion` ({@link BollingerReversion}), `donchian-breakout`
 * ({@link DonchianBreakout}) and `rsi-reversal` ({@link RsiReversal}). Each call returns a fresh
 * `Map`, so adding to one never affects another.
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
  return new Map<string, StrategyFactory>([
    ['sma-crossover', (options) => new SmaCrossover(options)],
    ['bollinger-reversion', (options) => new BollingerReversion(options)],
    ['donchian-breakout', (options) => new DonchianBreakout(options)],
    ['rsi-reversal', (options) => new RsiReversal(options)],
  ]);
}
