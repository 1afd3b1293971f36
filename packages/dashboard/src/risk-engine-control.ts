import type { TradingState, TradingStateScope } from '@qtp/core';
import type { RiskLimitUsage, TradingStateControl, TradingStateEntry } from './control-ports.js';

/**
 * What {@link riskEngineControl} needs of a risk engine: the shape of `RiskEngine` from
 * `@qtp/risk`, named here so the dashboard depends on no risk package.
 */
export interface RiskEngineLike {
  /** The account id the account's state is filed under. */
  readonly accountId: string;
  /** The trading states by scope. */
  readonly states: {
    /** Returns the state of a scope, `ACTIVE` when it was never set. */
    stateOf(scope: TradingStateScope): TradingState;
    /** Returns every scope that is not `ACTIVE`. */
    restricted(): readonly TradingStateEntry[];
  };
  /** Sets the state of a scope (default the account); `FLATTEN` starts closing at once. */
  setState(state: TradingState, setBy: string, reason: string, scope?: TradingStateScope): boolean;
  /** Moves a scope (default the account) back to `ACTIVE`, starting its drawdown over. */
  reset(setBy: string, reason: string, scope?: TradingStateScope): boolean;
  /** Returns the limits that hold between orders and their usage now. */
  limitUsage?(): readonly RiskLimitUsage[];
}

/**
 * Returns the {@link TradingStateControl} of a risk engine, so the dashboard switches its trading
 * states, lists them and shows its limits with their usage. A switch to `ACTIVE` is the risk
 * engine's `reset`, which also starts the account's drawdown over; any other state goes through
 * its `setState`. The risk engine announces each change on the bus it was attached to, where
 * the dashboard hears it; its refusals reach the dashboard as the order manager's `order.denied`.
 *
 * @example
 * ```ts
 * import { mountDashboard, riskEngineControl } from '@qtp/dashboard';
 * import { RiskEngine } from '@qtp/risk';
 * const risk = new RiskEngine({ config: { account: { maxPosition: 1_000 } } });
 * const engine = new TradingEngine({ exchanges, instruments, preTradeGate: risk });
 * risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });
 * const dashboard = await mountDashboard(engine, { token, control: riskEngineControl(risk) });
 * ```
 */
export function riskEngineControl(risk: RiskEngineLike): TradingStateControl {
  const account: TradingStateScope = Object.freeze({ kind: 'account', id: risk.accountId });
  return {
    setState: (state, change) => {
      const scope = change.scope ?? account;
      if (state === 'ACTIVE') risk.reset(change.setBy, change.reason, scope);
      else risk.setState(state, change.setBy, change.reason, scope);
    },
    states: () => {
      const rows: TradingStateEntry[] = [{ scope: account, state: risk.states.stateOf(account) }];
      for (const entry of risk.states.restricted()) {
        if (entry.scope.kind === 'account' && entry.scope.id === account.id) continue;
        rows.push({ scope: entry.scope, state: entry.state });
      }
      return rows;
    },
    limits: () => risk.limitUsage?.() ?? [],
  };
}
