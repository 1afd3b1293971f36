import {
  AccountViewToken,
  ClockToken,
  EventBusToken,
  IdGeneratorToken,
  InstrumentProviderToken,
  LoggerToken,
  MarketDataFeedToken,
  OrderGatewayToken,
  PositionViewToken,
} from '@qtp/core';
import { TradingEngine, type TradingEngineOptions } from './trading-engine.js';

/**
 * The part of a tsyringe `DependencyContainer` that {@link registerQtpServices} uses. Declared
 * here so the published types do not need tsyringe installed; tsyringe's container satisfies it.
 */
export interface ServiceContainer {
  /** Registers a provider of a value, or of a factory called on first resolve, under a token. */
  register(
    token: symbol,
    provider: { useValue: unknown } | { useFactory: (container: never) => unknown },
  ): unknown;
}

/** The injection token of the {@link TradingEngine} that {@link registerQtpServices} registers. */
export const TradingEngineToken = Symbol.for('qtp.TradingEngine');

/**
 * Registers a {@link TradingEngine} built from `options`, and the services it wires, in a
 * tsyringe container under the tokens of `@qtp/core`: the engine under
 * {@link TradingEngineToken}, the clock, bus, logger and id generator, the order gateway, the
 * portfolio as the position view, the first exchange as the account view and market data feed,
 * and an instrument provider with `get(id)`. Every registration is `useValue` or `useFactory`;
 * no class carries a decorator, and the engine is built once, on first resolve.
 *
 * tsyringe throws on import unless `reflect-metadata` (or another Reflect polyfill) was imported
 * first: import it once at the entry point of the application. The engine itself never needs
 * the container; `new TradingEngine(options)` works alone.
 *
 * @returns the container, for chaining
 * @example
 * ```ts
 * import 'reflect-metadata';
 * import { container } from 'tsyringe';
 * import { ClockToken, SimulatedClock } from '@qtp/core';
 * import { registerQtpServices, type TradingEngine, TradingEngineToken } from '@qtp/engine';
 *
 * const clock = new SimulatedClock();
 * registerQtpServices(container, { clock, exchanges: [exchange], instruments: [btc] });
 * const engine = container.resolve<TradingEngine>(TradingEngineToken);
 * container.resolve(ClockToken) === clock; // true
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
  container.register(TradingEngineToken, { useFactory: theEngine });
  container.register(ClockToken, { useFactory: () => theEngine().clock });
  container.register(EventBusToken, { useFactory: () => theEngine().bus });
  container.register(LoggerToken, { useFactory: () => theEngine().logger });
  container.register(OrderGatewayToken, { useFactory: () => theEngine().gateway });
  container.register(PositionViewToken, { useFactory: () => theEngine().portfolio });
  container.register(AccountViewToken, { useFactory: () => theEngine().exchanges[0] });
  container.register(MarketDataFeedToken, { useFactory: () => theEngine().exchanges[0] });
  container.register(InstrumentProviderToken, {
    useValue: {
      get: (id: Parameters<TradingEngine['instrument']>[0]) =>
        options.instruments.find((instrument) => instrument.id === id),
    },
  });
  if (options.idGenerator !== undefined) {
    container.register(IdGeneratorToken, { useValue: options.idGenerator });
  }
  return container;
}
