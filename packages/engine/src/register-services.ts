import {
  ClockToken,
  createInjectionToken,
  eventBusToken,
  IdGeneratorToken,
  type InjectionToken,
  type InstrumentProvider,
  InstrumentProviderToken,
  LoggerToken,
  OrderGatewayToken,
  PositionViewToken,
  ValidationError,
} from '@qtp/core';
import type { AccountView, Exchange, MarketDataFeed } from '@qtp/exchange';
import type { EngineEvents } from './events.js';
import { TradingEngine, type TradingEngineOptions } from './trading-engine.js';

/** Registers a fixed value under a token: the value must be of the token's type. */
export interface ValueProvider<T> {
  /** The service itself. */
  readonly useValue: T;
}

/** Registers a function that builds the service when it is first resolved. */
export interface FactoryProvider<T> {
  /** Builds the service; receives the container, which QTP's factories never read. */
  readonly useFactory: (container: never) => T;
}

/** A provider of a service of type `T`: a value or a factory, never a decorated class. */
export type ServiceProvider<T> = ValueProvider<T> | FactoryProvider<T>;

/**
 * The part of a tsyringe `DependencyContainer` that {@link registerQtpServices} uses. Declared
 * here so the published types do not need tsyringe installed; tsyringe's container satisfies it.
 */
export interface ServiceContainer {
  /** Registers a provider of a value, or of a factory called on first resolve, under a token. */
  register(token: symbol, provider: ServiceProvider<unknown>): unknown;
}

/** The part of a tsyringe `DependencyContainer` that {@link resolveService} uses. */
export interface ServiceResolver {
  /** Returns the service registered under `token`. */
  resolve(token: symbol): unknown;
}

/** The injection token of the {@link TradingEngine} that {@link registerQtpServices} registers. */
export const TradingEngineToken: InjectionToken<TradingEngine> =
  createInjectionToken('qtp.TradingEngine');

/** The source of market data (bars, trade ticks, quotes, book deltas): the engine's first exchange. */
export const MarketDataFeedToken: InjectionToken<MarketDataFeed> =
  createInjectionToken('qtp.MarketDataFeed');

/** The read-only view of account balances and trades: the engine's first exchange. */
export const AccountViewToken: InjectionToken<AccountView> =
  createInjectionToken('qtp.AccountView');

/**
 * Registers `provider` under `token` in `container`, checked at compile time: the value, or what
 * the factory returns, must be of the token's type.
 *
 * @returns the container, for chaining
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { container } from 'tsyringe';
 * import { ClockToken, SimulatedClock } from '@qtp/core';
 * import { registerService } from '@qtp/engine';
 * registerService(container, ClockToken, { useValue: new SimulatedClock() });
 * ```
 */
export function registerService<Container extends ServiceContainer, T>(
  container: Container,
  token: InjectionToken<T>,
  provider: ServiceProvider<NoInfer<T>>,
): Container {
  container.register(token, provider);
  return container;
}

/**
 * Returns the service registered under `token`, typed by the token. For the composition root of
 * an application; QTP's own classes take their services through their constructors.
 *
 * @example
 * ```ts
 * import { ClockToken } from '@qtp/core';
 * import { resolveService } from '@qtp/engine';
 * const clock = resolveService(container, ClockToken); // Clock
 * ```
 */
export function resolveService<T>(container: ServiceResolver, token: InjectionToken<T>): T {
  // The registration was checked against the same token's type by registerService.
  return container.resolve(token) as T;
}

/**
 * Registers a {@link TradingEngine} built from `options`, and the services it wires, in a
 * tsyringe container under the typed tokens of `@qtp/core`: the engine under
 * {@link TradingEngineToken}, the clock, bus, logger and id generator, the order gateway, the
 * portfolio as the position view, the first exchange as the account view
 * ({@link AccountViewToken}) and market data feed ({@link MarketDataFeedToken}), and an
 * instrument provider. Every registration is `useValue` or `useFactory`; no class carries a
 * decorator, and the engine is built once, on first resolve.
 *
 * tsyringe throws on import unless `reflect-metadata` (or another Reflect polyfill) was imported
 * first: import it once at the entry point of the application. The engine itself never needs
 * the container; `new TradingEngine(options)` works alone.
 *
 * @returns the container, for chaining
 * @throws `ValidationError` on resolving the account view or market data feed of an
 *   engine without exchanges
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { container } from 'tsyringe';
 * import { ClockToken, SimulatedClock } from '@qtp/core';
 * import { registerQtpServices, resolveService, TradingEngineToken } from '@qtp/engine';
 *
 * const clock = new SimulatedClock();
 * registerQtpServices(container, { clock, exchanges: [exchange], instruments: [btc] });
 * const engine = resolveService(container, TradingEngineToken);
 * resolveService(container, ClockToken) === clock; // true
 * ```
 */
export function registerQtpServices<Container extends ServiceContainer>(
  container: Container,
  options: TradingEngineOptions,
): Container {
  let engine: TradingEngine | undefined;
  // Built on first use, so registering costs nothing and every token resolves to one engine.
  const theEngine = (): TradingEngine => {
    engine ??= new TradingEngine(options);
    return engine;
  };
  const firstExchange = (): Exchange => {
    const exchange = theEngine().exchanges[0];
    if (exchange === undefined) {
      throw new ValidationError('exchanges', 'list at least one exchange', options.exchanges);
    }
    return exchange;
  };
  const instruments: InstrumentProvider = {
    get: (id) => options.instruments.find((instrument) => instrument.id === id),
  };
  registerService(container, TradingEngineToken, { useFactory: theEngine });
  registerService(container, ClockToken, { useFactory: () => theEngine().clock });
  registerService(container, eventBusToken<EngineEvents>(), { useFactory: () => theEngine().bus });
  registerService(container, LoggerToken, { useFactory: () => theEngine().logger });
  registerService(container, OrderGatewayToken, { useFactory: () => theEngine().gateway });
  registerService(container, PositionViewToken, { useFactory: () => theEngine().portfolio });
  registerService(container, AccountViewToken, { useFactory: firstExchange });
  registerService(container, MarketDataFeedToken, { useFactory: firstExchange });
  registerService(container, InstrumentProviderToken, { useValue: instruments });
  if (options.idGenerator !== undefined) {
    registerService(container, IdGeneratorToken, { useValue: options.idGenerator });
  }
  return container;
}
