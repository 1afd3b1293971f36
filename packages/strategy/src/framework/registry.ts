import { ValidationError } from '@qtp/core';
import type { z } from 'zod';
import type { Strategy, StrategyOptions } from './strategy.js';

/** Builds a strategy from an id and raw parameters; a registry maps names to these. */
export type StrategyFactory = (options: StrategyOptions) => Strategy<object>;

/**
 * Strategy factories by name, so a config file or a command line can pick a strategy by name:
 * one plain `Map`. `createStrategyRegistry` returns one holding the example strategies; add your
 * own with `set`. A name read from a file is only known at run time; for names written in code,
 * a {@link StrategyCatalog} checks the name and the parameters at compile time.
 */
export type StrategyRegistry = Map<string, StrategyFactory>;

/**
 * A strategy that can be built by name: the zod schema of its parameters and its factory.
 *
 * @typeParam Schema - the parameter schema; its input type is what a caller writes
 */
export interface CatalogEntry<Schema extends z.ZodType = z.ZodType> {
  /** The schema the strategy checks its parameters with. */
  readonly schema: Schema;
  /** Builds the strategy. */
  readonly create: StrategyFactory;
}

/**
 * Named strategies with their parameter schemas, as a typed object: `createStrategy` given a
 * catalog accepts only its names, and for each name only the parameters its schema reads, with
 * their types. `exampleStrategies` is the catalog of the example strategies.
 */
export type StrategyCatalog = Readonly<Record<string, CatalogEntry>>;

/** The parameters a catalog's strategy takes, as written before defaults and transforms. */
export type CatalogParams<Catalog extends StrategyCatalog, Name extends keyof Catalog> = z.input<
  Catalog[Name]['schema']
>;

/** The options of a strategy built from a catalog: its id and its typed parameters. */
export interface CatalogStrategyOptions<Params> {
  /** The strategy's id, unique within a manager: 1 to 64 of `A-Z a-z 0-9 . _ -`. */
  id: string;
  /** The parameters, checked at compile time against the schema's input type and at run time by the schema. */
  params: Params;
}

function isRegistry(
  registry: ReadonlyMap<string, StrategyFactory> | StrategyCatalog,
): registry is ReadonlyMap<string, StrategyFactory> {
  return registry instanceof Map;
}

/**
 * Builds the strategy a catalog holds under `name`; the name and the parameters are checked
 * at compile time.
 *
 * @throws {@link @qtp/core!ValidationError} naming `strategy` when no strategy has that name, or
 * whatever the factory throws (a bad parameter names `params.<path>`)
 * @example
 * ```ts
 * import { createStrategy, exampleStrategies } from '@qtp/strategy';
 * const strategy = createStrategy(exampleStrategies, 'sma-crossover', {
 *   id: 'xrp-trend',
 *   params: { instrumentId: 'XRPETH.BINANCE', fastPeriod: 10, slowPeriod: 30, quantity: '100' },
 * });
 * ```
 */
export function createStrategy<
  Catalog extends StrategyCatalog,
  Name extends keyof Catalog & string,
>(
  catalog: Catalog,
  name: Name,
  options: CatalogStrategyOptions<CatalogParams<Catalog, Name>>,
): Strategy<object>;
/**
 * Builds the strategy registered under `name`, as a config file or a command line names it.
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
): Strategy<object>;
export function createStrategy(
  registry: ReadonlyMap<string, StrategyFactory> | StrategyCatalog,
  name: string,
  options: StrategyOptions,
): Strategy<object> {
  const factory = isRegistry(registry)
    ? registry.get(name)
    : Object.hasOwn(registry, name)
      ? registry[name]?.create
      : undefined;
  if (factory === undefined) {
    const keys = isRegistry(registry) ? [...registry.keys()] : Object.keys(registry);
    const names = keys.sort().join(', ');
    throw new ValidationError('strategy', `be one of ${names === '' ? '(none)' : names}`, name);
  }
  return factory(options);
}
