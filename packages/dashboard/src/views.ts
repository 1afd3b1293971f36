import type { TradingState, TradingStateScope } from '@qtp/core';
import type { RiskLimitUsage, VenueStatus } from './control-ports.js';

/** The names of the dashboard's views; each is one event name on the live channel. */
export type DashboardViewName =
  | 'equity'
  | 'positions'
  | 'orders'
  | 'fills'
  | 'strategies'
  | 'risk'
  | 'venues'
  | 'log';

/**
 * Every view name, in the order the page shows them.
 *
 * @example
 * ```ts
 * import { DASHBOARD_VIEWS } from '@qtp/dashboard';
 * const snapshot = await (await fetch(`${dashboard.url}/api/snapshot`)).json();
 * for (const name of DASHBOARD_VIEWS) console.log(name, snapshot[name]);
 * ```
 */
export const DASHBOARD_VIEWS: readonly DashboardViewName[] = Object.freeze([
  'equity',
  'positions',
  'orders',
  'fills',
  'strategies',
  'risk',
  'venues',
  'log',
]);

/** The equity curve and its drawdown, thinned for drawing, in the reporting currency. */
export interface EquityView {
  /** The reporting currency. */
  readonly currency: string;
  /** Times in epoch milliseconds, increasing. */
  readonly times: readonly number[];
  /** Equity at each time. */
  readonly equity: readonly number[];
  /** Drawdown at each time: the fraction below the running peak, 0 at a peak, positive below it. */
  readonly drawdown: readonly number[];
  /** How many points the engine recorded, before thinning. */
  readonly recordedPoints: number;
  /** The deepest drawdown over the whole curve, a positive fraction (0 when none). */
  readonly maxDrawdown: number;
  /**
   * Set on a live update that carries only the points from this index on: the page keeps the
   * first `from` points it holds and appends these. Absent on a whole view.
   */
  readonly from?: number;
}

/** One position row; decimals as strings. */
export interface PositionRow {
  readonly instrumentId: string;
  /** Signed net quantity in the base asset. */
  readonly quantity: string;
  /** The last mark, or `null` before the first. */
  readonly mark: number | null;
  /** The average entry price of the open lots, when the portfolio reports it. */
  readonly averageEntryPrice: string | null;
  /** Unrealised P&L at the mark, in `pnlCurrency`, when the portfolio reports it. */
  readonly unrealizedPnl: string | null;
  /** Realised P&L so far, in `pnlCurrency`, when the portfolio reports it. */
  readonly realizedPnl: string | null;
  /** The currency of the P&L columns. */
  readonly pnlCurrency: string | null;
}

/** The open positions and those closed with realised P&L. */
export interface PositionsView {
  readonly rows: readonly PositionRow[];
}

/** One open order row. */
export interface OrderRow {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly type: string;
  readonly quantity: string;
  readonly price: string | null;
  readonly filledQuantity: string;
  readonly status: string;
  /** The strategy whose order it is (its `strategy:<id>` tag), or `null`. */
  readonly strategyId: string | null;
  readonly createdTimeMs: number;
}

/** The open orders, newest first. */
export interface OrdersView {
  readonly rows: readonly OrderRow[];
}

/** One fill row. */
export interface FillRow {
  readonly tradeId: string;
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly side: string;
  readonly price: string;
  readonly quantity: string;
  readonly fee: string;
  readonly feeCurrency: string;
  readonly liquiditySide: string;
  readonly timeMs: number;
}

/** The recent fills, newest first. */
export interface FillsView {
  readonly rows: readonly FillRow[];
  /** Fills seen since the dashboard was mounted. */
  readonly total: number;
}

/** One strategy row. */
export interface StrategyRow {
  readonly id: string;
  /** The strategy's lifecycle state: `created`, `running`, `stopped` or `failed`. */
  readonly state: string;
  /** Realised P&L of its fills booked since mounting, per currency, as decimal strings. */
  readonly realizedPnl: Readonly<Record<string, string>>;
  /** Its fills since mounting. */
  readonly fills: number;
}

/** The strategies the engine runs. */
export interface StrategiesView {
  readonly rows: readonly StrategyRow[];
  /** Whether pause and resume are offered. */
  readonly controllable: boolean;
}

/** A trading state as it stands. */
export interface TradingStateRow {
  readonly scope: TradingStateScope;
  readonly state: TradingState;
  /** Who set it, or `null` when the state came from the risk engine's list. */
  readonly setBy: string | null;
  readonly reason: string | null;
  readonly timeMs: number | null;
}

/** One order refused before it left. */
export interface RefusalRow {
  readonly clientOrderId: string;
  readonly instrumentId: string;
  readonly source: string;
  readonly code: string;
  readonly message: string;
  readonly timeMs: number;
}

/** Risk states, limits and refusals. */
export interface RiskView {
  readonly states: readonly TradingStateRow[];
  readonly limits: readonly RiskLimitUsage[];
  /** Refusals counted by reason code, most frequent first. */
  readonly refusalsByReason: readonly { readonly code: string; readonly count: number }[];
  readonly recentRefusals: readonly RefusalRow[];
  /** Whether the trading state can be switched from the dashboard. */
  readonly controllable: boolean;
}

/** Venue health. */
export interface VenuesView {
  /** One row per exchange of the engine; `connected` is `null` when the host reports nothing. */
  readonly rows: readonly (Omit<VenueStatus, 'connected'> & {
    readonly connected: boolean | null;
  })[];
  /** Whether the engine is running. */
  readonly engineRunning: boolean;
}

/** One entry of the event log. */
export interface LogRow {
  /** Increasing number of the entry. */
  readonly seq: number;
  readonly timeMs: number;
  readonly topic: string;
  /** A one-line summary of the event. */
  readonly summary: string;
}

/**
 * The recent events, newest first. On the live channel, once a page holds the log, an update
 * carries only the events heard since the previous one, with `append` set: the page puts them
 * before the rows it holds and keeps the first `keep`.
 */
export interface LogView {
  readonly rows: readonly LogRow[];
  /** Set on a live update that holds only the new events. */
  readonly append?: true;
  /** With `append`: how many rows the page keeps, the log's capacity. */
  readonly keep?: number;
}

/** Every view, by name, as `/api/snapshot` returns it and the live channel sends it. */
export interface DashboardSnapshot {
  readonly equity: EquityView;
  readonly positions: PositionsView;
  readonly orders: OrdersView;
  readonly fills: FillsView;
  readonly strategies: StrategiesView;
  readonly risk: RiskView;
  readonly venues: VenuesView;
  readonly log: LogView;
}

/**
 * Returns the curve thinned to at most `maxPoints` + 1 points by taking every k-th point and always
 * the last, with the drawdown of each point against the running peak of the full curve.
 *
 * @example
 * ```ts
 * import { equityView } from '@qtp/dashboard';
 * const view = equityView({ times: [1, 2, 3], values: [100, 120, 90] }, 'USDT', 1000);
 * console.log(view.drawdown); // [0, 0, 0.25]
 * ```
 */
export function equityView(
  curve: { readonly times: readonly number[]; readonly values: readonly number[] },
  currency: string,
  maxPoints: number,
): EquityView {
  const count = curve.values.length;
  const step = Math.max(1, Math.ceil(count / maxPoints));
  const times: number[] = [];
  const equity: number[] = [];
  const drawdown: number[] = [];
  let peak = Number.NEGATIVE_INFINITY;
  let maxDrawdown = 0;
  for (let i = 0; i < count; i++) {
    const value = curve.values[i]!;
    if (value > peak) peak = value;
    const down = peak > 0 ? 1 - value / peak : 0;
    if (down > maxDrawdown) maxDrawdown = down;
    if (i % step === 0 || i === count - 1) {
      times.push(curve.times[i]!);
      equity.push(value);
      drawdown.push(down);
    }
  }
  return { currency, times, equity, drawdown, recordedPoints: count, maxDrawdown };
}
