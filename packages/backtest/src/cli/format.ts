import type { PerformanceReport } from '@qtp/portfolio';
import type { BacktestResult } from '../run-backtest.js';
import type { SweepParams } from '../sweep/job.js';
import type { SweepResult, SweepRunSuccess } from '../sweep/run-sweep.js';
import type { WalkForwardResult } from '../sweep/walk-forward.js';

type Align = 'left' | 'right';

/** Returns rows as a text table with a header and columns padded to their widest cell. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        align[column] === 'right' ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** Returns a fraction as a percentage with two decimals, or `n/a`. */
export function percent(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(2)} %`;
}

/** Returns a ratio with two decimals, or `n/a`. */
export function ratio(value: number | null): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(2);
}

/** Returns epoch milliseconds as `YYYY-MM-DD HH:MM` UTC. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** Returns parameters as `name=value` words. */
export function paramsText(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/** Returns the metric rows of a performance report. */
export function metricRows(performance: PerformanceReport): string[][] {
  const trades = performance.trades;
  return [
    ['Total return', percent(performance.totalReturn)],
    ['CAGR', percent(performance.cagr)],
    ['Volatility (annual)', percent(performance.annualizedVolatility)],
    ['Sharpe ratio', ratio(performance.sharpeRatio)],
    ['Sortino ratio', ratio(performance.sortinoRatio)],
    ['Calmar ratio', ratio(performance.calmarRatio)],
    ['Max drawdown', percent(performance.maxDrawdown)],
    ['Trades', String(trades.numberOfTrades)],
    ['Win rate', percent(trades.winRate)],
    ['Profit factor', ratio(trades.profitFactor)],
    ['Time in market', percent(performance.exposureTime)],
  ];
}

/**
 * Returns the printed summary of one backtest: what ran, its metrics and its assumptions, with
 * `notes` (what the command line assumed) after the simulation's own.
 */
export function backtestSummary(result: BacktestResult, notes: readonly string[] = []): string {
  const period =
    result.period === null
      ? 'no data'
      : `${utc(result.period.start)} .. ${utc(result.period.end)} UTC`;
  const rows = [
    ['Final equity', `${result.finalEquity} ${result.reportingCurrency}`],
    ...metricRows(result.performance),
    ['Orders', String(result.orders.length)],
    ['Fills', String(result.fills.length)],
  ];
  return [
    `Backtest: ${result.strategy.name} on ${result.instruments.join(', ')}`,
    `Period:     ${period} (${result.events} events)`,
    `Parameters: ${paramsText(result.strategy.parameters)}`,
    '',
    table(['Metric', 'Value'], rows, ['left', 'right']),
    '',
    'Assumptions:',
    ...[...result.assumptions.lines, ...notes].map((line) => `  - ${line}`),
  ].join('\n');
}

function paramCells(names: readonly string[], params: SweepParams): string[] {
  return names.map((name) => {
    const value = params[name];
    return typeof value === 'string' ? value : JSON.stringify(value ?? null);
  });
}

/** Returns the printed ranking of a sweep: its best `top` runs, then its failed runs. */
export function sweepSummary(sweep: SweepResult, objective: string, top: number): string {
  const names = [...new Set(sweep.runs.flatMap((run) => Object.keys(run.params)))];
  const finished = sweep.runs.filter((run): run is SweepRunSuccess => run.ok);
  // Best first; on equal scores the earlier set first, as `best` picks it.
  const ranked = [...finished].sort((a, b) => b.score - a.score || a.index - b.index);
  const rows = ranked
    .slice(0, top)
    .map((run, rank) => [
      String(rank + 1),
      ...paramCells(names, run.params),
      ratio(run.score),
      percent(run.result.performance.totalReturn),
      percent(run.result.performance.maxDrawdown),
      String(run.result.performance.trades.numberOfTrades),
    ]);
  const failed = sweep.runs.filter((run) => !run.ok);
  const lines = [
    `Sweep: ${sweep.runs.length} runs, ${finished.length} finished, ranked by ${objective}` +
      (ranked.length > top ? ` (best ${top} shown)` : ''),
    '',
    table(['#', ...names, objective, 'return', 'max DD', 'trades'], rows, [
      'right',
      ...names.map((): Align => 'right'),
      'right',
      'right',
      'right',
      'right',
    ]),
  ];
  if (failed.length > 0) {
    lines.push('', `Failed runs (${failed.length}):`);
    for (const run of failed) {
      if (run.ok) continue;
      lines.push(
        `  ${paramsText(run.params)}: ${run.error.code ?? run.error.name}: ${run.error.message}`,
      );
    }
  }
  return lines.join('\n');
}

/** Returns the printed walk-forward: one row per window, then the out-of-sample metrics. */
export function walkForwardSummary(analysis: WalkForwardResult, objective: string): string {
  const rows = analysis.windows.map((window) => [
    String(window.index + 1),
    `${utc(window.train.startMs)} .. ${utc(window.train.endMs)}`,
    `${utc(window.test.startMs)} .. ${utc(window.test.endMs)}`,
    paramsText(window.params),
    ratio(window.inSample.score),
    ratio(window.outOfSample.score),
    percent(window.outOfSample.result.performance.totalReturn),
  ]);
  return [
    `Walk-forward: ${analysis.windows.length} windows, ${analysis.paramSets.length} parameter sets each, chosen by ${objective}`,
    '',
    table(
      [
        '#',
        'train (UTC)',
        'test (UTC)',
        'chosen',
        `in-sample ${objective}`,
        `out-of-sample ${objective}`,
        'test return',
      ],
      rows,
      ['right', 'left', 'left', 'left', 'right', 'right', 'right'],
    ),
    '',
    'Out of sample, test windows chained:',
    '',
    table(['Metric', 'Value'], metricRows(analysis.outOfSample.performance), ['left', 'right']),
  ].join('\n');
}
