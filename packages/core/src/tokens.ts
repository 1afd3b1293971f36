/**
 * Typed dependency-injection tokens for the services QTP components share. Each token is a
 * `Symbol.for` key, so two installed copies of `@qtp/core` agree on it, and carries the type of
 * the service registered under it, so a registration of the wrong type does not compile. Core
 * registers nothing and imports no container: every class works with a plain constructor, and
 * `@qtp/engine` does the optional tsyringe wiring (`useValue`, `useFactory`) with these tokens.
 * Tokens of the services behind subpaths live in those subpaths (`MetricsRegistryToken` in
 * `@qtp/core/observability`, `UnitOfWorkToken` in `@qtp/core/repository`).
 */
import type { Clock } from './clock.js';
import type { EventBus } from './event-bus.js';
import type { IdGenerator } from './identifiers.js';
import type { InstrumentProvider } from './instrument-provider.js';
import type { Logger } from './logger.js';
import type { OrderGateway } from './orders/order-gateway.js';
import type { PositionView } from './position-view.js';

// Exists only in the type system: the slot that carries a token's service type.
declare const serviceType: unique symbol;

/**
 * A dependency-injection key for a service of type `T`: a symbol at run time, branded with `T`
 * in the type system. tsyringe and any container keyed by symbols accept it as it is.
 */
export type InjectionToken<T> = symbol & { readonly [serviceType]?: T };

/** The service type an {@link InjectionToken} carries: `TokenType<typeof ClockToken>` is `Clock`. */
export type TokenType<Token> = Token extends InjectionToken<infer T> ? T : never;

/**
 * Returns the token for a service of type `T` under the global symbol `key`, so the same key
 * gives the same token in every installed copy and module format. Use a key of your own
 * namespace (`app.Config`), not `qtp.*`.
 *
 * @example
 * ```ts
 * import { createInjectionToken } from '@qtp/core';
 * interface AppConfig { readonly venue: string }
 * export const AppConfigToken = createInjectionToken<AppConfig>('app.Config');
 * ```
 */
export function createInjectionToken<T>(key: string): InjectionToken<T> {
  return Symbol.for(key) as InjectionToken<T>;
}

/** The {@link Clock}: time and timers, live or simulated. One per engine. */
export const ClockToken: InjectionToken<Clock> = createInjectionToken('qtp.Clock');

/**
 * Returns the token of the engine's {@link EventBus}, on which market data, orders, fills and
 * errors travel, typed with the event map `Events` the caller knows it to carry. Every call
 * returns the same symbol, `qtp.EventBus`; the map is a type only, since each engine adds topics
 * of its own.
 *
 * @example
 * ```ts
 * import { type EventBus, eventBusToken } from '@qtp/core';
 * interface Events { 'order.filled': { clientOrderId: string } }
 * const token = eventBusToken<Events>(); // InjectionToken<EventBus<Events>>
 * ```
 */
export function eventBusToken<Events extends object>(): InjectionToken<EventBus<Events>> {
  return createInjectionToken('qtp.EventBus');
}

/** The structured logger (with secret redaction) that components write to. */
export const LoggerToken: InjectionToken<Logger> = createInjectionToken('qtp.Logger');

/** The {@link IdGenerator} that makes client order ids and other ids, seeded in backtests. */
export const IdGeneratorToken: InjectionToken<IdGenerator> =
  createInjectionToken('qtp.IdGenerator');

/** The order gateway the OMS sends orders through: an exchange or a composite of several. */
export const OrderGatewayToken: InjectionToken<OrderGateway> =
  createInjectionToken('qtp.OrderGateway');

/** The read-only view of positions that risk checks consult; the portfolio provides it. */
export const PositionViewToken: InjectionToken<PositionView> =
  createInjectionToken('qtp.PositionView');

/** The provider of instruments and their trading rules (tick size, lot size, minimum notional). */
export const InstrumentProviderToken: InjectionToken<InstrumentProvider> =
  createInjectionToken('qtp.InstrumentProvider');
