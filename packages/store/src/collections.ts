import { type Collection, defineCollection, type Entity } from '@qtp/core/repository';

/**
 * A position at one time, as a host snapshots it from its portfolio. Decimals are strings, as
 * they travel in JSON and come back from `NUMERIC` columns.
 */
export interface PositionSnapshotRow extends Entity {
  /** The venue, such as `BINANCE`. */
  readonly venue: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  readonly instrumentId: string;
  /** The net quantity, exact; negative when short. */
  readonly quantity: string;
  /** The average entry price of the open lots, exact; `null` when flat. */
  readonly averagePrice: string | null;
  /** The realized P&L, exact, in `currency`. */
  readonly realizedPnl: string;
  /** The currency of the realized P&L. */
  readonly currency: string;
  /** When the snapshot was taken, epoch milliseconds. */
  readonly timeMs: number;
}

/** A balance at one time; decimals as strings. */
export interface BalanceSnapshotRow extends Entity {
  /** The venue, such as `BINANCE`. */
  readonly venue: string;
  /** The asset code, such as `USDT`. */
  readonly asset: string;
  /** The amount available, exact. */
  readonly free: string;
  /** The amount held by open orders, exact. */
  readonly locked: string;
  /** When the snapshot was taken, epoch milliseconds. */
  readonly timeMs: number;
}

/** A strategy's own state, kept across restarts; the id is the strategy id. */
export interface StrategyStateRow extends Entity {
  /** Whatever the strategy keeps, as JSON. */
  readonly state: unknown;
  /** When the state was written, epoch milliseconds. */
  readonly timeMs: number;
}

/**
 * One backtest run: its strategy, its parameters, headline figures as columns (so a sweep's
 * table can be sorted and filtered on them) and the full analytics as JSON.
 */
export interface BacktestRunRow extends Entity {
  /** The sweep the run belongs to, or `null` for a single run. */
  readonly sweepId: string | null;
  /** The strategy's name. */
  readonly strategy: string;
  /** The parameters the run used, as JSON. */
  readonly params: Readonly<Record<string, unknown>>;
  /** When the run started, epoch milliseconds. */
  readonly startedMs: number;
  /** When the run finished, epoch milliseconds. */
  readonly finishedMs: number;
  /** The final equity, exact, in the reporting currency. */
  readonly finalEquity: string;
  /** The total return as a fraction, or `null` when undefined. */
  readonly totalReturn: number | null;
  /** The Sharpe ratio, or `null` when undefined. */
  readonly sharpe: number | null;
  /** The maximum drawdown as a fraction, or `null` when undefined. */
  readonly maxDrawdown: number | null;
  /** How many round-trip trades the run made. */
  readonly trades: number;
  /** Every analytic of the run, as JSON. */
  readonly analytics: Readonly<Record<string, unknown>>;
}

/**
 * The collection of position snapshots (`qtp_position_snapshots` on PostgreSQL).
 * @example
 * ```ts
 * import { positionSnapshots } from '@qtp/store';
 * const snapshots = store.repository(positionSnapshots);
 * ```
 */
export const positionSnapshots: Collection<PositionSnapshotRow> =
  defineCollection<PositionSnapshotRow>('position_snapshots');

/**
 * The collection of balance snapshots (`qtp_balance_snapshots` on PostgreSQL).
 * @example
 * ```ts
 * import { balanceSnapshots } from '@qtp/store';
 * const usdt = await store.repository(balanceSnapshots).find({ where: { asset: 'USDT' } });
 * ```
 */
export const balanceSnapshots: Collection<BalanceSnapshotRow> =
  defineCollection<BalanceSnapshotRow>('balance_snapshots');

/**
 * The collection of strategy states (`qtp_strategy_states` on PostgreSQL), one per strategy id.
 * @example
 * ```ts
 * import { strategyStates } from '@qtp/store';
 * const saved = await store.repository(strategyStates).get('sma-cross');
 * ```
 */
export const strategyStates: Collection<StrategyStateRow> =
  defineCollection<StrategyStateRow>('strategy_states');

/**
 * The collection of backtest runs (`qtp_backtest_runs` on PostgreSQL).
 * @example
 * ```ts
 * import { backtestRuns } from '@qtp/store';
 * const best = await store.repository(backtestRuns).find({
 *   where: { sweepId: 'sweep-1' }, orderBy: [{ field: 'sharpe', direction: 'desc' }], limit: 5,
 * });
 * ```
 */
export const backtestRuns: Collection<BacktestRunRow> =
  defineCollection<BacktestRunRow>('backtest_runs');
