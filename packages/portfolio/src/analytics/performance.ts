import { ValidationError } from '@qtp/core';
import {
  compensatedMean,
  deviationAround,
  downsideOf,
  extremesOf,
  scanCurve,
} from './curve-pass.js';
import {
  type DrawdownPeriod,
  deepestOf,
  deepestPeriodOf,
  drawdownsOf,
  periodsOf,
} from './drawdown.js';
import { compoundReturns, type EquityCurve, type ReturnSeries, returnsOf } from './equity-curve.js';
import { exposureTime } from './exposure-time.js';
import { cagrOf, type ResolvedYear, resolveYear, totalReturnOf, type YearBasis } from './growth.js';
import { calendarReturnsOf, type PeriodReturn } from './period-returns.js';
import {
  type MarketCalendar,
  periodsPerYearForInterval,
  periodsPerYearOf,
  perPeriodRateOf,
  resolveCalendar,
} from './periods-per-year.js';
import { meanExcess } from './sharpe-ratio.js';
import { type ClosedTrade, type TradeStatistics, tradeStatistics } from './trade-statistics.js';
import {
  checkEquityCurve,
  checkFinite,
  checkFiniteSeries,
  checkNumberAbove,
  checkOptionKeys,
} from './validate.js';

/** Options for {@link computePerformance}. */
export interface PerformanceOptions {
  /** The closed round trips behind the curve, for the trade statistics and exposure; none when omitted. */
  readonly trades?: readonly ClosedTrade[];
  /** Periods per year; inferred from the bar interval and `market` when omitted (see {@link inferPeriodsPerYear}). */
  readonly periodsPerYear?: number;
  /** The trading calendar used to infer periods per year; `'crypto'` when omitted. */
  readonly market?: MarketCalendar;
  /** The stock session length in milliseconds for intraday stock bars; 6.5 hours when omitted. */
  readonly sessionMs?: number;
  /** The annual risk-free rate as a fraction (0.04 is 4 %); 0 when omitted. */
  readonly riskFreeRate?: number;
  /** The per-period target return of the Sortino ratio; the per-period risk-free rate when omitted. */
  readonly target?: number;
  /**
   * How CAGR counts a year (see {@link YearBasis}): `'calendar'` for the `'crypto'` market and
   * `'periods'` (periods per year, 252 daily sessions) for `'stock'` when omitted.
   */
  readonly yearBasis?: YearBasis;
  /** The days in a year on the `'calendar'` basis, positive; 365 when omitted. */
  readonly yearLengthDays?: number;
}

const PERFORMANCE_KEYS = [
  'trades',
  'periodsPerYear',
  'market',
  'sessionMs',
  'riskFreeRate',
  'target',
  'yearBasis',
  'yearLengthDays',
] as const;

/**
 * Everything {@link computePerformance} measures. A metric the data cannot define (too few
 * points, a zero divisor, no trades) is `null`, never `NaN` or `Infinity`.
 */
export interface PerformanceReport {
  /** The curve's first time, epoch milliseconds, or `null` for an empty curve. */
  readonly start: number | null;
  /** The curve's last time, epoch milliseconds, or `null` for an empty curve. */
  readonly end: number | null;
  /** The number of per-bar returns: one fewer than the points on the curve (0 for an empty curve). */
  readonly numberOfReturns: number;
  /** Periods per year, as given or inferred; `null` when it cannot be inferred (fewer than two points). */
  readonly periodsPerYear: number | null;
  /** How CAGR counted a year (see {@link YearBasis}). */
  readonly yearBasis: YearBasis;
  /** The days in a year on the `'calendar'` basis; `null` on the `'periods'` basis. */
  readonly yearLengthDays: number | null;
  /** Last value / first value - 1 (see {@link totalReturn}). */
  readonly totalReturn: number | null;
  /** The compound annual growth rate, over years counted as `yearBasis` states (see {@link cagr}). */
  readonly cagr: number | null;
  /** The annualized sample standard deviation of the bar returns (see {@link annualizedVolatility}). */
  readonly annualizedVolatility: number | null;
  /** The annualized Sharpe ratio of the bar returns (see {@link sharpeRatio}). */
  readonly sharpeRatio: number | null;
  /** The annualized Sortino ratio of the bar returns (see {@link sortinoRatio}). */
  readonly sortinoRatio: number | null;
  /** CAGR / max drawdown (see {@link calmarRatio}). */
  readonly calmarRatio: number | null;
  /** The largest fall from a running peak, a positive fraction; 0 when there was none. */
  readonly maxDrawdown: number;
  /** The deepest drawdown with its times and duration, or `null` when there was none. */
  readonly maxDrawdownPeriod: DrawdownPeriod | null;
  /** The duration of the longest drawdown in milliseconds, unrecovered ones included; 0 when there was none. */
  readonly longestDrawdownMs: number;
  /** The duration of the longest drawdown in periods, unrecovered ones included; 0 when there was none. */
  readonly longestDrawdownPeriods: number;
  /** The drawdown at each point of the curve (see {@link drawdownSeries}). */
  readonly drawdowns: Float64Array;
  /** The bar with the highest return, or `null` when there are no returns. */
  readonly bestPeriod: PeriodReturn | null;
  /** The bar with the lowest return, or `null` when there are no returns. */
  readonly worstPeriod: PeriodReturn | null;
  /** The return of each UTC day with an observation (see {@link periodReturns}). */
  readonly daily: readonly PeriodReturn[];
  /** The return of each UTC month with an observation (see {@link periodReturns}). */
  readonly monthly: readonly PeriodReturn[];
  /** The statistics of the trades (see {@link tradeStatistics}). */
  readonly trades: TradeStatistics;
  /**
   * The share of the curve's span during which a trade was open (see {@link exposureTime}), or
   * `null` when the curve spans no time.
   */
  readonly exposureTime: number | null;
}

/**
 * Measures the performance of an equity curve, or of a return series compounded into one (see
 * {@link compoundReturns}), and of the trades behind it, in one report.
 *
 * Conventions: returns are simple returns per bar; periods per year come from the median bar
 * interval (365 days a year for crypto, 252 sessions for a stock market) unless given;
 * volatility, Sharpe and Sortino are annualized with the square root of periods per year; CAGR
 * counts the same year: 365-day calendar years for crypto, periods per year of returns for a
 * stock market (the report states `yearBasis` and `yearLengthDays`); drawdowns are positive
 * fractions of the running peak (0.25 is 25 % below it), with durations in milliseconds and in
 * periods; calendar periods are UTC.
 *
 * @param input - an equity curve (`times` and `values`) or a return series (`times` and `returns`)
 * @param options - trades, periods per year or the calendar to infer it, risk-free rate, target
 * @throws ValidationError when the curve, the returns, a trade or an option is invalid, naming the field
 * @example
 * ```ts
 * import { computePerformance } from '@qtp/portfolio';
 * const day = 86_400_000;
 * const report = computePerformance(
 *   { times: [0, day, 2 * day, 3 * day], values: [100, 104, 99, 107] },
 *   { trades: [{ entryTime: 0, exitTime: 3 * day, pnl: 7 }], riskFreeRate: 0.03 },
 * );
 * console.log(report.totalReturn, report.sharpeRatio, report.maxDrawdown, report.trades.winRate);
 * ```
 */
export function computePerformance(
  input: EquityCurve | ReturnSeries,
  options: PerformanceOptions = {},
): PerformanceReport {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('input', 'be an equity curve or a return series', input);
  }
  checkOptionKeys(options, PERFORMANCE_KEYS);
  const curve = 'values' in input ? input : compoundReturns(input);
  // The curve is checked once here, in one walk that also finds the bar spacing; the full check
  // runs only to name what is wrong. The helpers below are the public functions without their
  // checks (or, in `curve-pass.ts`, the same arithmetic in fewer walks), so a long curve is
  // walked a few times rather than a few dozen. Each metric is the same arithmetic, in the same
  // order, as the public function of its name.
  const scan = scanCurve(curve);
  if (!scan.valid) checkEquityCurve(curve);
  const { times, values } = curve;
  const n = values.length;
  const trades = options.trades ?? [];

  const calendar = { market: options.market, sessionMs: options.sessionMs };
  if (options.periodsPerYear === undefined) resolveCalendar(calendar);
  const periodsPerYear =
    options.periodsPerYear ??
    (Number.isNaN(scan.evenSpacing)
      ? periodsPerYearOf(times, calendar)
      : periodsPerYearForInterval(scan.evenSpacing, calendar));
  if (periodsPerYear !== null) checkNumberAbove('periodsPerYear', periodsPerYear, 0);
  if (options.riskFreeRate !== undefined)
    checkNumberAbove('riskFreeRate', options.riskFreeRate, -1);
  if (options.target !== undefined) checkFinite('target', options.target);
  const yearBasis = options.yearBasis ?? (options.market === 'stock' ? 'periods' : 'calendar');
  if (yearBasis === 'periods' && options.yearLengthDays !== undefined) {
    throw new ValidationError(
      'yearLengthDays',
      "be omitted on the 'periods' year basis, where a year is periodsPerYear periods",
      options.yearLengthDays,
    );
  }
  const year: ResolvedYear | null =
    yearBasis === 'periods' && periodsPerYear === null
      ? null
      : resolveYear({
          yearBasis,
          yearLengthDays: options.yearLengthDays,
          periodsPerYear: periodsPerYear ?? undefined,
        });

  const riskFree =
    periodsPerYear === null ? 0 : perPeriodRateOf(options.riskFreeRate ?? 0, periodsPerYear);
  const returns = returnsOf(values);
  // A quotient of two valid values can still overflow; the ratio functions reject that.
  checkFiniteSeries('returns', returns);
  let annualizedVolatility: number | null = null;
  let sharpeRatio: number | null = null;
  let sortinoRatio: number | null = null;
  if (periodsPerYear !== null) {
    const rootPeriods = Math.sqrt(periodsPerYear);
    const mean = compensatedMean(returns);
    const deviation = deviationAround(returns, mean);
    const downside = downsideOf(returns, options.target ?? riskFree);
    // The mean excess over a zero rate is the mean of the returns themselves: r - 0 is r.
    const excess =
      (deviation !== null && deviation !== 0) || (downside !== null && downside !== 0)
        ? riskFree === 0
          ? mean
          : meanExcess(returns, riskFree)
        : 0;
    if (deviation !== null) annualizedVolatility = deviation * rootPeriods;
    if (deviation !== null && deviation !== 0) sharpeRatio = (excess / deviation) * rootPeriods;
    if (downside !== null && downside !== 0) sortinoRatio = (excess / downside) * rootPeriods;
  }
  const drawdowns = drawdownsOf(values);
  const maxDrawdown = deepestOf(drawdowns);
  const extremes = returns.length === 0 ? null : extremesOf(returns);
  const periods = periodsOf(times, drawdowns);
  const growth = year === null ? null : cagrOf(curve, year);
  const start = n === 0 ? null : times[0]!;
  const end = n === 0 ? null : times[n - 1]!;

  return {
    start,
    end,
    numberOfReturns: returns.length,
    periodsPerYear,
    yearBasis,
    yearLengthDays: yearBasis === 'calendar' ? (options.yearLengthDays ?? 365) : null,
    totalReturn: totalReturnOf(values),
    cagr: growth,
    annualizedVolatility,
    sharpeRatio,
    sortinoRatio,
    calmarRatio: growth === null || maxDrawdown === 0 ? null : growth / maxDrawdown,
    maxDrawdown,
    maxDrawdownPeriod: deepestPeriodOf(periods),
    longestDrawdownMs: periods.reduce((longest, period) => Math.max(longest, period.durationMs), 0),
    longestDrawdownPeriods: periods.reduce(
      (longest, period) => Math.max(longest, period.durationPeriods),
      0,
    ),
    drawdowns,
    bestPeriod:
      extremes === null
        ? null
        : { start: times[extremes.highest]!, return: returns[extremes.highest]! },
    worstPeriod:
      extremes === null
        ? null
        : { start: times[extremes.lowest]!, return: returns[extremes.lowest]! },
    daily: calendarReturnsOf(curve, 'day'),
    monthly: calendarReturnsOf(curve, 'month'),
    trades: tradeStatistics(trades),
    exposureTime: start === null || end === null ? null : exposureTime(trades, { start, end }),
  };
}
