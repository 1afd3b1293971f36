/**
 * QTP backtest: runs strategies over history and reports the results. The report is a
 * self-contained HTML tearsheet (equity and drawdown charts, metrics, monthly returns, trades
 * and the simulation's assumptions) that opens offline in any browser.
 *
 * @module
 */

// report
export type {
  TearsheetAssumption,
  TearsheetAssumptions,
  TearsheetData,
  TearsheetParameterValue,
  TearsheetPeriod,
  TearsheetRiskEvents,
  TearsheetStrategy,
  TearsheetTrade,
} from './report/tearsheet-data.js';
export type { TearsheetExecution } from './report/executions-section.js';
export type { TearsheetOptions } from './report/tearsheet.js';
export { renderTearsheet } from './report/tearsheet.js';
export { writeTearsheet } from './report/write-tearsheet.js';

// historical data: loaders, gaps, time-ordered merge
export { readBinanceKlines } from './data/binance-klines.js';
export type {
  BinanceBar,
  BinanceBarStream,
  BinanceKlinesOptions,
} from './data/binance-klines.js';
export { readCsvBars } from './data/csv-bars.js';
export { loadBarSeries } from './data/load-bar-series.js';
export type { CsvBarColumns, CsvBarsOptions } from './data/csv-bars.js';
export type { CsvColumn, CsvLayoutOptions, CsvTimeFormat } from './data/csv-format.js';
export { readCsvTrades } from './data/csv-trades.js';
export type { CsvTradeColumns, CsvTradesOptions } from './data/csv-trades.js';
export { fillGaps, findGaps } from './data/gaps.js';
export type { BarGap, BarStream, GapOptions, GapPolicy } from './data/gaps.js';
export { barIntervalFromMs } from './data/interval.js';
export { readBars, readTrades } from './data/iterables.js';
export type { ReadBarsOptions, ReadTradesOptions } from './data/iterables.js';
export { eventTimeOf, mergeByTime } from './data/merge.js';
export type { TimedMarketData } from './data/merge.js';
export type { InvalidRowPolicy, RowOptions } from './data/rows.js';

// runner
export { toTearsheetData, writeBacktestReport } from './backtest-report.js';
export type { BacktestWarning, BacktestWarningCode } from './backtest-warnings.js';
export type { BacktestExecution } from './execution-costs.js';
export type {
  BacktestGate,
  BacktestGateWiring,
  BacktestMarginCall,
  BacktestRiskEvents,
} from './risk-events.js';
export { runBacktest } from './run-backtest.js';
export type {
  BacktestBalance,
  BacktestDataItem,
  BacktestPosition,
  BacktestResult,
  BacktestTrade,
  NamedStrategy,
  RunBacktestOptions,
} from './run-backtest.js';

// parameter sweeps and walk-forward analysis on worker threads, and the progress bar
export { createProgressBar } from './cli/progress-bar.js';
export type { ProgressBarOptions, ProgressStream } from './cli/progress-bar.js';
export { expandGrid } from './sweep/grid.js';
export type { SweepGrid } from './sweep/grid.js';
export type {
  PlainBacktestResult,
  SweepParams,
  SweepRunError,
  SweepValue,
} from './sweep/job.js';
export type { SweepObjective, SweepObjectiveName } from './sweep/objective.js';
export type { SweepProgress } from './sweep/progress.js';
export { createSweepTaskRunner } from './sweep/executor.js';
export type { SweepExecutor } from './sweep/executor.js';
export type { Job as SweepJob, JobOutcome as SweepJobOutcome } from './sweep/job.js';
export type { ResolvedSpec as SweepTaskSpec } from './sweep/spec.js';
export { runSweep } from './sweep/run-sweep.js';
export type {
  SweepOptions,
  SweepResult,
  SweepRun,
  SweepRunFailure,
  SweepRunSuccess,
} from './sweep/run-sweep.js';
export type {
  BacktestFeeRates,
  BacktestLatency,
  BacktestSpec,
  BarFileSource,
} from './sweep/spec.js';
export { runWalkForward } from './sweep/walk-forward.js';
export type {
  WalkForwardOptions,
  WalkForwardResult,
  WalkForwardSpan,
  WalkForwardWindow,
} from './sweep/walk-forward.js';
export type {
  WalkForwardModel,
  WalkForwardTraining,
  WalkForwardTrainingWindow,
} from './sweep/walk-forward-training.js';
