import type { PerformanceReport } from '@qtp/portfolio';
import type { TearsheetExecution } from './executions-section.js';

/**
 * A strategy parameter as shown in the tearsheet: a plain value or a flat list of them. Nested
 * objects are not accepted; format them into a string first.
 *
 * @example
 * ```ts
 * import type { TearsheetParameterValue } from '@qtp/backtest';
 * const periods: TearsheetParameterValue = [10, 30];
 * const mode: TearsheetParameterValue = 'long only';
 * ```
 */
export type TearsheetParameterValue =
  | string
  | number
  | boolean
  | null
  | readonly (string | number | boolean | null)[];

/**
 * The strategy behind the backtest: its name and the parameters it ran with.
 *
 * @example
 * ```ts
 * import type { TearsheetStrategy } from '@qtp/backtest';
 * const strategy: TearsheetStrategy = { name: 'SMA crossover', parameters: { fast: 10, slow: 30 } };
 * ```
 */
export interface TearsheetStrategy {
  /** The strategy's name, for example `'SMA crossover'`. */
  readonly name: string;
  /** The parameters it ran with, shown in insertion order; none when omitted. */
  readonly parameters?: Readonly<Record<string, TearsheetParameterValue>>;
}

/**
 * One assumption the simulation made: a sentence (`'Market orders fill at the next bar open'`)
 * or a named value (`{ name: 'Fees', value: '0.1 % taker, 0.08 % maker' }`).
 *
 * @example
 * ```ts
 * import type { TearsheetAssumption } from '@qtp/backtest';
 * const fill: TearsheetAssumption = 'Market orders fill at the next bar open';
 * const fees: TearsheetAssumption = { name: 'Fees', value: '0.1 % taker' };
 * ```
 */
export type TearsheetAssumption =
  | string
  | {
      /** What the assumption is about, such as `Fees`. */
      readonly name: string;
      /** The assumption itself, such as `0.1 % taker`. */
      readonly value: string;
    };

/**
 * The assumptions the simulation made (fill model, fees, latency, slippage, volume cap): a list
 * of sentences or named values, or a record from name to value, shown in order.
 *
 * @example
 * ```ts
 * import type { TearsheetAssumptions } from '@qtp/backtest';
 * const assumptions: TearsheetAssumptions = { Latency: '50 ms', 'Volume cap': '10 % of bar volume' };
 * ```
 */
export type TearsheetAssumptions =
  | readonly TearsheetAssumption[]
  | Readonly<Record<string, string>>;

/**
 * One closed round trip in the trade list. Booked amounts travel as decimal strings (`'0.015'`,
 * `'27123.45'`) and are shown exactly as given, with thousands separators added.
 *
 * @example
 * ```ts
 * import type { TearsheetTrade } from '@qtp/backtest';
 * const trade: TearsheetTrade = {
 *   side: 'LONG',
 *   entryTime: Date.UTC(2024, 0, 2),
 *   exitTime: Date.UTC(2024, 0, 5),
 *   quantity: '0.015',
 *   entryPrice: '42150.10',
 *   exitPrice: '43010.00',
 *   pnl: '11.61',
 * };
 * ```
 */
export interface TearsheetTrade {
  /** The instrument traded, for example `'BTCUSDT.BINANCE'`; shown when set on any trade. */
  readonly instrument?: string;
  /** Whether the position was long or short. */
  readonly side: 'LONG' | 'SHORT';
  /** When the position was opened, epoch milliseconds. */
  readonly entryTime: number;
  /** When the position was closed, epoch milliseconds; not before `entryTime`. */
  readonly exitTime: number;
  /** The quantity traded in the base asset, a positive decimal string. */
  readonly quantity: string;
  /** The average entry price, a positive decimal string. */
  readonly entryPrice: string;
  /** The average exit price, a positive decimal string. */
  readonly exitPrice: string;
  /** The realized profit or loss in the account currency, net of fees, a decimal string. */
  readonly pnl: string;
  /**
   * The trade's return net of fees, as a fraction (0.01 is 1 %). When omitted, it is `pnl` over
   * the entry notional (`entryPrice` × `quantity`); give it when `pnl` is in a currency other
   * than the instrument's quote.
   */
  readonly return?: number;
}

/**
 * The span the backtest covered, epoch milliseconds.
 *
 * @example
 * ```ts
 * import type { TearsheetPeriod } from '@qtp/backtest';
 * const period: TearsheetPeriod = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 6, 1) };
 * ```
 */
export interface TearsheetPeriod {
  /** The first time, epoch milliseconds. */
  readonly start: number;
  /** The last time, epoch milliseconds; not before `start`. */
  readonly end: number;
}

/**
 * Everything {@link renderTearsheet} shows. The equity curve and the trades are what the
 * backtest produced; the performance report is `computePerformance` from `@qtp/portfolio` run
 * on that same curve and those trades.
 *
 * @example
 * ```ts
 * import type { TearsheetData } from '@qtp/backtest';
 * import { computePerformance } from '@qtp/portfolio';
 *
 * const times = [Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)];
 * const values = [1_000, 1_010, 1_025];
 * const data: TearsheetData = {
 *   strategy: { name: 'Buy and hold' },
 *   instruments: ['BTCUSDT.BINANCE'],
 *   currency: 'USDT',
 *   equity: { times, values },
 *   performance: computePerformance({ times, values }),
 *   trades: [],
 *   assumptions: ['Fills at the close'],
 * };
 * ```
 */
/** The risk events of a run, as the tearsheet shows them (see `BacktestRiskEvents`). */
export interface TearsheetRiskEvents {
  /** Trading state changes, in order. */
  readonly stateChanges: readonly {
    /** When, epoch milliseconds. */
    readonly timeMs: number;
    /** What the state applies to. */
    readonly scope: { readonly kind: string; readonly id: string };
    /** The state before. */
    readonly from: string;
    /** The state after. */
    readonly to: string;
    /** Who or what set it. */
    readonly setBy: string;
    /** Why. */
    readonly reason: string;
  }[];
  /** Refused orders by denial code. */
  readonly refusals: Readonly<Record<string, number>>;
  /** Stop orders that filled. */
  readonly stopsHit: number;
  /** Changes of stage of a margin call. */
  readonly marginCalls?: readonly {
    /** The stage now. */
    readonly stage: string;
    /** The stage before. */
    readonly from: string;
    /** Equity over the maintenance margin. */
    readonly marginLevel: number;
    /** When, epoch milliseconds. */
    readonly timeMs: number;
  }[];
}

export interface TearsheetData {
  /** The page title; `'Backtest: <strategy name>'` when omitted. */
  readonly title?: string;
  /** The strategy and its parameters. */
  readonly strategy: TearsheetStrategy;
  /** The instruments traded, for example `['BTCUSDT.BINANCE']`. */
  readonly instruments: readonly string[];
  /** The span covered; the first and last equity times when omitted. */
  readonly period?: TearsheetPeriod;
  /** The account currency of the equity and the P&L, for example `'USDT'`; unlabelled when omitted. */
  readonly currency?: string;
  /**
   * The equity curve: `times` in epoch milliseconds, strictly increasing, and `values` in the
   * account currency, finite and of the same length.
   */
  readonly equity: {
    /** Observation times, epoch milliseconds, strictly increasing. */
    readonly times: ArrayLike<number>;
    /** Equity at each time in the account currency; the same length as `times`. */
    readonly values: ArrayLike<number>;
  };
  /** The performance of the curve and the trades, from `computePerformance`. */
  readonly performance: PerformanceReport;
  /** The closed round trips, in the order to list them. */
  readonly trades: readonly TearsheetTrade[];
  /** The assumptions the simulation made; the section says none were given when omitted. */
  readonly assumptions?: TearsheetAssumptions;
  /**
   * When the report was made, epoch milliseconds; not shown when omitted. It is data rather than
   * read from a clock so that the same input renders the same file.
   */
  readonly generatedAt?: number;
  /** The risk events; the section is left out when there are none or this is omitted. */
  readonly risk?: TearsheetRiskEvents;
  /** The parent orders of execution algorithms; the section is left out when there are none. */
  readonly executions?: readonly TearsheetExecution[];
}
