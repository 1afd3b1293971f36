/**
 * Dependency-injection tokens for the services QTP components share. Each is a `Symbol.for`
 * key, so two installed copies of `@qtp/core` agree on it. Core registers nothing and imports no
 * container: every class works with a plain constructor, and `@qtp/engine` does the optional
 * tsyringe wiring (`useValue`, `useFactory`) with these keys.
 */

/** The {@link Clock}: time and timers, live or simulated. One per engine. */
export const ClockToken = Symbol.for('qtp.Clock');

/** The engine's {@link EventBus}, on which market data, orders, fills and errors travel. */
export const EventBusToken = Symbol.for('qtp.EventBus');

/** The structured logger (with secret redaction) that components write to. */
export const LoggerToken = Symbol.for('qtp.Logger');

/** The {@link IdGenerator} that makes client order ids and other ids, seeded in backtests. */
export const IdGeneratorToken = Symbol.for('qtp.IdGenerator');

/** The validated configuration the engine was started with. */
export const ConfigToken = Symbol.for('qtp.Config');

/** The metrics registry (counters, gauges, histograms) components record into. */
export const MetricsRegistryToken = Symbol.for('qtp.MetricsRegistry');

/** The tracing hooks that wrap order placement and other spans. */
export const TracerToken = Symbol.for('qtp.Tracer');

/** The registry of health checks a host exposes for liveness and readiness. */
export const HealthRegistryToken = Symbol.for('qtp.HealthRegistry');

/** The tiered cache: in-memory L1 in front of an optional L2 tier. */
export const CacheToken = Symbol.for('qtp.Cache');

/** The order gateway the OMS sends orders through: an exchange or a composite of several. */
export const OrderGatewayToken = Symbol.for('qtp.OrderGateway');

/** The source of market data (bars, trade ticks, quotes, book deltas) the engine feeds on. */
export const MarketDataFeedToken = Symbol.for('qtp.MarketDataFeed');

/** The read-only view of positions that risk checks consult; the portfolio provides it. */
export const PositionViewToken = Symbol.for('qtp.PositionView');

/** The read-only view of account balances; an exchange or the portfolio provides it. */
export const AccountViewToken = Symbol.for('qtp.AccountView');

/** The provider of instruments and their trading rules (tick size, lot size, minimum notional). */
export const InstrumentProviderToken = Symbol.for('qtp.InstrumentProvider');

/** The order repository: persisted orders, read back for recovery after a restart. */
export const OrderRepositoryToken = Symbol.for('qtp.OrderRepository');

/** The unit of work that groups repository writes in one transaction. */
export const UnitOfWorkToken = Symbol.for('qtp.UnitOfWork');
