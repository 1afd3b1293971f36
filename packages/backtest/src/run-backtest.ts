import {
  type Bar,
  type BookDelta,
  type BookSnapshot,
  createBarEvent,
  createBookDeltaEvent,
  createBookSnapshotEvent,
  createQuoteTickEvent,
  createTradeTickEvent,
  type DecimalInput,
  type FillJson,
  formatDecimal,
  type Instrument,
  type MarketDataEvent,
  type OrderSnapshot,
  type QuoteTick,
  SeededIdGenerator,
  SimulatedClock,
  type TradeTick,
  ValidationError,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import {
  type FeeModel,
  type FillModel,
  type ImpactParameters,
  type LatencyModel,
  SimulatedExchange,
  type SimulationAssumptions,
  type SlippageModel,
} from '@qtp/exchange';
import {
  computePerformance,
  type PerformanceOptions,
  type PerformanceReport,
} from '@qtp/portfolio';
import {
  createStrategy,
  createStrategyRegistry,
  type Strategy,
  type StrategyRegistry,
} from '@qtp/strategy';
import {
  type BacktestWarning,
  checkStrategyInstruments,
  collectBacktestWarnings,
} from './backtest-warnings.js';
import { type BacktestExecution, ExecutionCollector } from './execution-costs.js';
import { type BacktestGate, type BacktestRiskEvents, RiskEventCollector } from './risk-events.js';

/**
 * One item of backtest data: core's `MarketDataEvent` (`createBarEvent(bar)` and so on), or a bare bar, trade tick, quote, book snapshot or book change, recognised by its
 * fields.
 */
export type BacktestDataItem =
  | MarketDataEvent
  | Bar
  | TradeTick
  | QuoteTick
  | BookSnapshot
  | BookDelta;

/** A strategy picked by name from a registry, with its parameters. */
export interface NamedStrategy {
  /** The registry name, such as `sma-crossover`. */
  readonly name: string;
  /** The strategy's id (default: the name). */
  readonly id?: string;
  /** The raw parameters, checked by the strategy's schema. */
  readonly params?: unknown;
  /** Where to look the name up (default `createStrategyRegistry()` from `@qtp/strategy`). */
  readonly registry?: StrategyRegistry;
}

/** Options of {@link runBacktest}. */
export interface RunBacktestOptions {
  /** The instruments traded, all of one venue. */
  readonly instruments: readonly Instrument[];
  /** The market data in time order: any sync or async iterable, such as a CSV loader's output. */
  readonly data: Iterable<BacktestDataItem> | AsyncIterable<BacktestDataItem>;
  /** The strategy: an instance, or a name and parameters from the strategy registry. */
  readonly strategy: Strategy<object> | NamedStrategy;
  /** The starting balance of each asset, such as `{ USDT: '10000' }`. */
  readonly balances: Readonly<Record<string, DecimalInput>>;
  /** The currency equity is reported in (default the first instrument's quote asset). */
  readonly reportingCurrency?: string;
  /** How orders fill (default the exchange's: bars, next-bar matching, volume cap 1). */
  readonly fillModel?: FillModel;
  /** How fills are charged (default each instrument's maker and taker rates, in the quote asset). */
  readonly feeModel?: FeeModel;
  /** How long placements and cancels take (default none). */
  readonly latency?: LatencyModel;
  /** How far taker fills move against the taker (default none). */
  readonly slippage?: SlippageModel;
  /**
   * Approves or refuses each order request (default approve all). A gate with an `attach`
   * method, such as `RiskEngine` from `@qtp/risk`, is attached to the engine's bus, order
   * manager, portfolio and equity before the first event, so it hears marks and fills.
   */
  readonly preTradeGate?: BacktestGate;
  /** The seed of every random draw and of the client order ids (default 0). */
  readonly seed?: number;
  /** Where the simulated clock starts, epoch milliseconds (default 0). */
  readonly startMs?: number;
  /**
   * How the analytics annualise: periods per year (inferred from the bar spacing when omitted),
   * the market calendar (`'crypto'`, 365-day years, when omitted; `'stock'` counts 252 sessions),
   * the risk-free rate, the year basis and length of CAGR (see `computePerformance`).
   */
  readonly performance?: Omit<PerformanceOptions, 'trades'>;
  /**
   * Market parameters for the impact model's estimate in each parent's cost analysis: the
   * square-root impact `k × σ × √(q / ADV)` of its filled quantity (see `squareRootImpact` and
   * `calibrateImpact` in `@qtp/exchange`), for parents whose algorithm was given no estimate.
   */
  readonly impact?: ImpactParameters;
}

/** One closed round trip: a lot opened by one fill and closed by another, FIFO. */
export interface BacktestTrade {
  /** The instrument traded. */
  readonly instrumentId: string;
  /** Whether the lot was long or short. */
  readonly side: 'LONG' | 'SHORT';
  /** The quantity in the base asset, a decimal string. */
  readonly quantity: string;
  /** The entry price, a decimal string. */
  readonly entryPrice: string;
  /** The exit price, a decimal string. */
  readonly exitPrice: string;
  /** When the lot was opened, epoch milliseconds. */
  readonly entryTimeMs: number;
  /** When it was closed, epoch milliseconds. */
  readonly exitTimeMs: number;
  /** The realized P&L net of the lot's share of both fees, exact, in `currency`. */
  readonly pnl: string;
  /** The currency of `pnl`: the instrument's quote asset. */
  readonly currency: string;
  /** The net P&L in the reporting currency, as a number, as the analytics read it. */
  readonly pnlInReportingCurrency: number;
}

/** A position at the end of a backtest. */
export interface BacktestPosition {
  /** The instrument. */
  readonly instrumentId: string;
  /** The signed quantity, a decimal string: positive long, negative short. */
  readonly quantity: string;
  /** The average entry price of the open lots, a decimal string, or `null` when flat. */
  readonly averageEntryPrice: string | null;
  /** The realized P&L before fees, a decimal string in the quote asset. */
  readonly realizedPnl: string;
}

/** A balance at the end of a backtest. */
export interface BacktestBalance {
  /** The venue holding it. */
  readonly venue: string;
  /** The asset. */
  readonly asset: string;
  /** The total held (free and locked), a decimal string. */
  readonly total: string;
}

/** What {@link runBacktest} returns: plain data that serialises to JSON as it is. */
export interface BacktestResult {
  /** The strategy: its id, its class or registry name, and its checked parameters. */
  readonly strategy: {
    /** The strategy's id. */
    readonly id: string;
    /** The registry name it was built from, else its class name. */
    readonly name: string;
    /** Its checked parameters. */
    readonly parameters: Readonly<Record<string, unknown>>;
  };
  /** The instruments traded. */
  readonly instruments: readonly string[];
  /** The currency equity and P&L are reported in. */
  readonly reportingCurrency: string;
  /** The first and last event times, epoch milliseconds; `null` without data. */
  readonly period: {
    /** The first event's time. */
    readonly start: number;
    /** The last event's time. */
    readonly end: number;
  } | null;
  /** How many market data events were processed. */
  readonly events: number;
  /** Every order, in submission order, as snapshots (decimals as strings). */
  readonly orders: readonly OrderSnapshot[];
  /** Every fill, in booking order (decimals as strings). */
  readonly fills: readonly FillJson[];
  /** The closed round trips, in the order they closed. */
  readonly trades: readonly BacktestTrade[];
  /** The equity after each event, one point per distinct time, in the reporting currency. */
  readonly equityCurve: {
    /** Times in epoch milliseconds, increasing. */
    readonly times: readonly number[];
    /** Equity at each time, in the reporting currency. */
    readonly values: readonly number[];
  };
  /** The final equity, exact: every balance at the last close, a decimal string. */
  readonly finalEquity: string;
  /** The positions at the end, flat ones included. */
  readonly positions: readonly BacktestPosition[];
  /** The balances at the end, per venue and asset. */
  readonly balances: readonly BacktestBalance[];
  /** The analytics of the equity curve and the trades, from `computePerformance`. */
  readonly performance: PerformanceReport;
  /** What the simulated exchange assumed (fill, fee, slippage and latency models, seed). */
  readonly assumptions: SimulationAssumptions;
  /**
   * What did not go as the strategy asked, each with a count: market orders cut short by the
   * volume cap, rejected orders, no order at all. Empty when nothing needs a look.
   */
  readonly warnings: readonly BacktestWarning[];
  /** Trading state changes, refused orders by code and stop orders filled during the run. */
  readonly riskEvents: BacktestRiskEvents;
  /**
   * The parent orders of the strategy's execution algorithms, in the order they ended, each
   * with its transaction-cost analysis, its child fills and the market around it. Parents still
   * working when the data ends are canceled with the strategy and listed too.
   */
  readonly executions: readonly BacktestExecution[];
}

function isNamed(strategy: Strategy<object> | NamedStrategy): strategy is NamedStrategy {
  return typeof (strategy as NamedStrategy).name === 'string' && !('handle' in strategy);
}

/**
 * Returns `item` as the engine's market data event; bare records are recognised by their
 * fields.
 * @throws `ValidationError` naming `data` when the item is none of the kinds
 */
function toEvent(item: BacktestDataItem): MarketDataEvent {
  if ('type' in item) return item;
  if ('openTimeMs' in item) return createBarEvent(item);
  if ('tradeId' in item) return createTradeTickEvent(item);
  if ('bidPrice' in item) return createQuoteTickEvent(item);
  if ('firstSequence' in item) return createBookDeltaEvent(item);
  if ('sequence' in item) return createBookSnapshotEvent(item);
  throw new ValidationError('data', 'hold bars, trade ticks, quotes or book data', item);
}

// Counts the events and remembers the times of the first and last. Numbers only: holding the
// last event would tie each new event to a long-lived object, which the collector pays for.
class Span {
  count = 0;
  firstTimeMs = Number.NaN;
  lastTimeMs = Number.NaN;

  constructor(private readonly executions: ExecutionCollector) {}

  note(event: MarketDataEvent): void {
    this.executions.note(event);
    this.time(event.eventTimeMs);
  }

  noteBar(bar: Bar): void {
    this.executions.notePrice(bar.instrumentId, bar.closeTimeMs, bar.close);
    this.time(bar.closeTimeMs);
  }

  private time(timeMs: number): void {
    if (this.count++ === 0) this.firstTimeMs = timeMs;
    this.lastTimeMs = timeMs;
  }
}

// Hands one item to the engine: a bare bar through its bar entry, which builds no event unless
// someone needs one; anything else as the market data event it is or stands for.
function feed(engine: TradingEngine, span: Span, item: BacktestDataItem): void {
  if (!('type' in item) && 'openTimeMs' in item) {
    span.noteBar(item);
    engine.processBar(item);
    return;
  }
  const event = toEvent(item);
  span.note(event);
  engine.process(event);
}

/**
 * Runs one strategy over historical data on a `TradingEngine` (from `@qtp/engine`) with a
 * `SimulatedExchange` and a `SimulatedClock`, and returns the orders, fills, round trips, the
 * equity curve, the final positions and balances, the analytics and the simulation's
 * assumptions.
 *
 * Default semantics, from the exchange's bar fill model: a signal computed on bar t's close
 * produces an order that fills at bar t+1's open, as a taker, paying the instrument's taker fee
 * in the quote asset, and the fill carries bar t+1's open time; no order fills inside the bar
 * that produced it. `runStrategy` from `@qtp/strategy/testing` with `fills: 'next-open'` fills
 * under the same rule. Orders beyond a bar's
 * volume wait for later bars (an IOC remainder expires); pass
 * `barFillModel({ volumeCap: Infinity })` to lift the cap.
 *
 * Reproducible: the same options and seed give the same result, byte for byte once serialised.
 *
 * @throws `ValidationError` when an option is invalid, the strategy's `instrumentId` (or
 *   `instrumentIds`) names an instrument not in `instruments`, the data is out of time
 * order, or an item is not market data
 * @throws the strategy's error when one of its hooks threw (the run stops being meaningful)
 * @example
 * ```ts
 * import { Instrument, instrumentId } from '@qtp/core';
 * import { runBacktest, writeBacktestReport } from '@qtp/backtest';
 *
 * const id = instrumentId('XRPETH', 'BINANCE');
 * const xrp = new Instrument({
 *   id, baseAsset: 'XRP', quoteAsset: 'ETH', priceIncrement: '0.00000001', sizeIncrement: '1',
 *   takerFee: '0.001',
 * });
 * const result = await runBacktest({
 *   instruments: [xrp],
 *   data: bars,
 *   strategy: {
 *     name: 'sma-crossover',
 *     params: { instrumentId: id, fastPeriod: 10, slowPeriod: 30, quantity: '100' },
 *   },
 *   balances: { ETH: '1' },
 * });
 * console.log(result.finalEquity, result.performance.sharpeRatio);
 * await writeBacktestReport(result, 'reports/sma.html');
 * ```
 */
export async function runBacktest(options: RunBacktestOptions): Promise<BacktestResult> {
  const seed = options.seed ?? 0;
  const clock = new SimulatedClock({ startMs: options.startMs ?? 0 });
  const exchange = new SimulatedExchange({
    clock,
    instruments: options.instruments,
    balances: options.balances,
    seed,
    ...(options.fillModel === undefined ? {} : { fillModel: options.fillModel }),
    ...(options.feeModel === undefined ? {} : { feeModel: options.feeModel }),
    ...(options.latency === undefined ? {} : { latency: options.latency }),
    ...(options.slippage === undefined ? {} : { slippage: options.slippage }),
  });
  const named = isNamed(options.strategy) ? options.strategy : undefined;
  const strategy =
    named === undefined
      ? (options.strategy as Strategy<object>)
      : createStrategy(named.registry ?? createStrategyRegistry(), named.name, {
          id: named.id ?? named.name,
          params: named.params,
        });
  checkStrategyInstruments(strategy.params as Record<string, unknown>, options.instruments);
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: options.instruments,
    strategies: [strategy],
    idGenerator: new SeededIdGenerator({ seed, prefix: 'bt' }),
    // Nothing reads the portfolio's marks before the run ends, when the engine hands them over.
    markFlatInstruments: false,
    ...(options.reportingCurrency === undefined
      ? {}
      : { reportingCurrency: options.reportingCurrency }),
    ...(options.preTradeGate === undefined ? {} : { preTradeGate: options.preTradeGate }),
  });
  const risk = new RiskEventCollector(engine.bus);
  options.preTradeGate?.attach?.({
    bus: engine.bus,
    orders: engine.orderManager,
    positions: engine.portfolio,
    equity: () => engine.equity(),
    clock,
  });
  let failure: unknown;
  engine.bus.subscribe('strategy.failed', (event) => {
    failure ??= event.error;
  });
  const executions = new ExecutionCollector((handler) => {
    engine.bus.subscribe('execution.ended', handler);
  });
  const span = new Span(executions);
  const data = options.data;
  await engine.start();
  if (Symbol.asyncIterator in data) {
    for await (const item of data) feed(engine, span, item);
  } else if (Array.isArray(data)) {
    // Indexed: this loop runs once per backtest, and an array iterator left unoptimized
    // allocates a result object per item.
    const items = data as readonly BacktestDataItem[];
    for (let i = 0; i < items.length; i++) feed(engine, span, items[i]!);
  } else {
    for (const item of data) feed(engine, span, item);
  }
  await engine.orderManager.flush();
  await engine.stop();
  if (failure !== undefined) throw failure;

  const portfolio = engine.portfolio;
  const currency = engine.reportingCurrency;
  const closedTrades = portfolio.closedTrades();
  const trades = (): BacktestTrade[] =>
    portfolio.closedLots().map((lot, index) => {
      let pnl = lot.realizedPnl.amount;
      for (const fee of [lot.entryFee, lot.exitFee]) {
        if (fee.currency === lot.realizedPnl.currency) pnl = pnl.minus(fee.amount);
      }
      return {
        instrumentId: lot.instrumentId,
        side: lot.side,
        quantity: formatDecimal(lot.quantity),
        entryPrice: formatDecimal(lot.entryPrice),
        exitPrice: formatDecimal(lot.exitPrice),
        entryTimeMs: lot.entryTimeMs,
        exitTimeMs: lot.exitTimeMs,
        pnl: formatDecimal(pnl),
        currency: lot.realizedPnl.currency,
        pnlInReportingCurrency: closedTrades[index]!.pnl,
      };
    });
  const equityCurve = engine.equityCurve();
  const orders = engine.orderManager.orders();
  const records = lazily(() => {
    const snapshots = orders.map((order) => order.toSnapshot());
    // Each snapshot already holds its order's fills in JSON form: the same objects serve both.
    return { orders: snapshots, fills: snapshots.flatMap((snapshot) => snapshot.fills) };
  });
  const result: BacktestResult = {
    strategy: {
      id: strategy.id,
      name: named?.name ?? strategy.constructor.name,
      parameters: { ...strategy.params },
    },
    instruments: options.instruments.map((instrument) => instrument.id),
    reportingCurrency: currency,
    period: span.count === 0 ? null : { start: span.firstTimeMs, end: span.lastTimeMs },
    events: span.count,
    // Placeholders, so the keys keep their order; replaced by getters below.
    orders: [],
    fills: [],
    trades: [],
    equityCurve,
    finalEquity: formatDecimal(engine.exactEquity()),
    positions: portfolio.positions().map((position) => ({
      instrumentId: position.instrumentId,
      quantity: formatDecimal(position.quantity),
      averageEntryPrice:
        position.averageEntryPrice === null ? null : formatDecimal(position.averageEntryPrice),
      realizedPnl: formatDecimal(position.realizedPnl.amount),
    })),
    balances: portfolio.accounts().flatMap((account) =>
      account.balances().map((balance) => ({
        venue: account.venue,
        asset: balance.asset,
        total: formatDecimal(balance.total),
      })),
    ),
    performance: computePerformance(equityCurve, {
      ...options.performance,
      trades: closedTrades,
    }),
    assumptions: exchange.assumptions(),
    warnings: collectBacktestWarnings(orders, span.count, strategy.targetsBelowLot),
    riskEvents: risk.summary(orders),
    executions: executions.executions(records, options.impact),
  };
  // The orders and the portfolio are done changing: the snapshots and round trips are made when
  // first read, as they would have been made now.
  defineLazily(result, 'orders', () => records().orders);
  defineLazily(result, 'fills', () => records().fills);
  defineLazily(result, 'trades', trades);
  return result;
}

// Returns `make` run once, on the first call.
function lazily<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

// Makes `object[key]` a getter that computes the value on first read and then stays that plain
// value: enumerable and writable as the property it replaces, and in the same place among the
// keys, so spreading, `JSON.stringify` and structured cloning see what they saw before.
function defineLazily<T extends object, K extends keyof T>(
  object: T,
  key: K,
  make: () => T[K],
): void {
  const settle = (value: T[K]) =>
    Object.defineProperty(object, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  Object.defineProperty(object, key, {
    configurable: true,
    enumerable: true,
    get: () => {
      const value = make();
      settle(value);
      return value;
    },
    set: settle,
  });
}
