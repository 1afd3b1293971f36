import type { TradingState, TradingStateScope } from '@qtp/core';

/** Who changes a trading state through the dashboard, and why. */
export interface TradingStateChange {
  /** What the state applies to (default: the whole account, as the risk engine defines it). */
  readonly scope?: TradingStateScope;
  /** Who set it: `dashboard`, or `dashboard:<operator>` when the operator gave a name. */
  readonly setBy: string;
  /** Why, in the operator's words. */
  readonly reason: string;
}

/** A trading state as it stands, for the risk view before any change was seen on the bus. */
export interface TradingStateEntry {
  /** What the state applies to. */
  readonly scope: TradingStateScope;
  /** The current state. */
  readonly state: TradingState;
}

/** A risk limit and how much of it is used, in the limit's own unit. */
export interface RiskLimitUsage {
  /** The limit's name, such as `maxNotional` or `dailyLoss`. */
  readonly name: string;
  /** The limit. */
  readonly limit: number;
  /** How much of it is used now. */
  readonly used: number;
  /** The unit, such as `USDT` or `orders/s` (default none). */
  readonly unit?: string;
}

/**
 * What the dashboard needs of a risk engine to switch trading states: the host passes an object
 * of this shape (`riskEngineControl(risk)` for a `RiskEngine` of `@qtp/risk`, or its own adapter). The state change itself is announced
 * by the risk engine on the bus as `risk.state` (core's `TradingStateChangedEvent`), which the
 * dashboard listens to.
 *
 * @example
 * ```ts
 * import type { TradingStateControl } from '@qtp/dashboard';
 * const control: TradingStateControl = {
 *   setState: (state, { scope, setBy, reason }) => myRisk.switchTo(state, { scope, setBy, reason }),
 *   states: () => myRisk.states(),
 *   limits: () => [{ name: 'maxNotional', limit: 10_000, used: 2_500, unit: 'USDT' }],
 * };
 * ```
 */
export interface TradingStateControl {
  /**
   * Sets the trading state of a scope.
   * @throws a QTP error when the change is refused; the dashboard answers with its message
   */
  setState(state: TradingState, change: TradingStateChange): void;
  /** Returns the current states of every scope known (default: only those seen on the bus). */
  states?(): readonly TradingStateEntry[];
  /** Returns the risk limits and their usage (default none shown). */
  limits?(): readonly RiskLimitUsage[];
}

/** The health of one venue, as the host knows it: connection, circuit breaker and rate limits. */
export interface VenueStatus {
  /** The venue, such as `BINANCE`. */
  readonly venue: string;
  /** Whether the venue's connection is up. */
  readonly connected: boolean;
  /** The state of the venue's circuit breaker, when it has one. */
  readonly breaker?: 'closed' | 'open' | 'halfOpen' | 'isolated';
  /** The share of the venue's rate limit in use, from 0 to 1, when known. */
  readonly rateLimitUsage?: number;
}
