import type { TearsheetOptions } from './report/tearsheet.js';
import type {
  TearsheetData,
  TearsheetParameterValue,
  TearsheetTrade,
} from './report/tearsheet-data.js';
import { writeTearsheet } from './report/write-tearsheet.js';
import type { BacktestResult } from './run-backtest.js';

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

// The tearsheet shows flat values; anything richer (a Decimal, a nested object) is shown as text.
function parameterValue(value: unknown): TearsheetParameterValue {
  if (isScalar(value)) return value;
  if (Array.isArray(value) && value.every(isScalar)) return value;
  if (typeof value === 'object' && value !== null && 'toFixed' in value) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * Returns the tearsheet data of a backtest result: its equity curve, performance report,
 * round trips (the P&L in the reporting currency, exact when the instrument is quoted in it),
 * strategy parameters and the simulation's assumptions as sentences. Feed it to
 * `renderTearsheet` or `writeTearsheet`.
 *
 * @param title - the page title (default `Backtest: <strategy name>`)
 * @example
 * ```ts
 * import { renderTearsheet, runBacktest, toTearsheetData } from '@qtp/backtest';
 * const result = await runBacktest(options);
 * const html = renderTearsheet(toTearsheetData(result));
 * ```
 */
export function toTearsheetData(result: BacktestResult, title?: string): TearsheetData {
  const parameters: Record<string, TearsheetParameterValue> = {};
  for (const [key, value] of Object.entries(result.strategy.parameters)) {
    parameters[key] = parameterValue(value);
  }
  const trades: TearsheetTrade[] = result.trades.map((trade) => ({
    instrument: trade.instrumentId,
    side: trade.side,
    entryTime: trade.entryTimeMs,
    exitTime: trade.exitTimeMs,
    quantity: trade.quantity,
    entryPrice: trade.entryPrice,
    exitPrice: trade.exitPrice,
    pnl:
      trade.currency === result.reportingCurrency
        ? trade.pnl
        : String(trade.pnlInReportingCurrency),
  }));
  const data: TearsheetData = {
    strategy: { name: result.strategy.name, parameters },
    instruments: result.instruments,
    currency: result.reportingCurrency,
    equity: result.equityCurve,
    performance: result.performance,
    trades,
    assumptions: result.assumptions.lines,
    ...(result.period === null ? {} : { period: result.period }),
    ...(title === undefined ? {} : { title }),
    risk: result.riskEvents,
    ...(result.executions.length > 0 ? { executions: result.executions } : {}),
  };
  return data;
}

/**
 * Writes the HTML tearsheet of a backtest result to `path` (creating folders, replacing a file)
 * and returns the absolute path written. The same result always writes the same bytes.
 *
 * @throws the tearsheet's `ValidationError` when the result cannot be shown (an empty equity
 * curve), or the file system's error
 * @example
 * ```ts
 * import { runBacktest, writeBacktestReport } from '@qtp/backtest';
 * const result = await runBacktest(options);
 * console.log(`open file://${await writeBacktestReport(result, 'reports/sma.html')}`);
 * ```
 */
export function writeBacktestReport(
  result: BacktestResult,
  path: string,
  options: TearsheetOptions = {},
): Promise<string> {
  return writeTearsheet(path, toTearsheetData(result), options);
}
