import type { PerformanceReport } from '@qtp/portfolio';
import {
  escapeHtml,
  formatAmount,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatPercent,
  formatSignedPercent,
  signClass,
} from './format.js';

/** One row of a metrics table: a label, the shown value and the sign used to color it. */
interface MetricRow {
  readonly label: string;
  readonly value: string;
  readonly sign?: number | null;
  readonly hint?: string;
}

// Drawdowns are shown as falls (negative), like the drawdown chart, though the report keeps them
// as positive fractions.
// A drawdown is a positive fraction below the peak and is printed as a positive percent.
const drawdownText = (depth: number): string => formatPercent(depth);

function metricTable(caption: string, rows: readonly MetricRow[]): string {
  const body = rows
    .map((row) => {
      const title = row.hint === undefined ? '' : ` title="${escapeHtml(row.hint)}"`;
      const cls = signClass(row.sign ?? null);
      return `<tr${title}><th scope="row">${escapeHtml(row.label)}</th><td${cls === '' ? '' : ` class="${cls}"`}>${escapeHtml(row.value)}</td></tr>`;
    })
    .join('');
  return `<table class="metrics"><caption>${escapeHtml(caption)}</caption><tbody>${body}</tbody></table>`;
}

/** The headline figures shown as cards at the top of the page. */
export function renderSummaryCards(report: PerformanceReport): string {
  const stats = report.trades;
  const cards: MetricRow[] = [
    {
      label: 'Total return',
      value: formatSignedPercent(report.totalReturn),
      sign: report.totalReturn,
    },
    { label: 'CAGR', value: formatSignedPercent(report.cagr), sign: report.cagr },
    { label: 'Sharpe ratio', value: formatNumber(report.sharpeRatio), sign: report.sharpeRatio },
    {
      label: 'Max drawdown',
      value: drawdownText(report.maxDrawdown),
      sign: -report.maxDrawdown,
    },
    { label: 'Trades', value: String(stats.numberOfTrades) },
    { label: 'Win rate', value: formatPercent(stats.winRate, 1) },
    { label: 'Profit factor', value: formatNumber(stats.profitFactor) },
  ];
  return `<div class="cards">${cards
    .map((card) => {
      const cls = signClass(card.sign ?? null);
      return `<div class="card"><div class="card-label">${escapeHtml(card.label)}</div><div class="card-value${cls === '' ? '' : ` ${cls}`}">${escapeHtml(card.value)}</div></div>`;
    })
    .join('')}</div>`;
}

/** The full metrics of the report: returns and risk in one table, trade statistics in another. */
export function renderMetrics(report: PerformanceReport, currency: string): string {
  const unit = currency === '' ? '' : ` (${currency})`;
  const deepest = report.maxDrawdownPeriod;
  const returns: MetricRow[] = [
    {
      label: 'Total return',
      value: formatSignedPercent(report.totalReturn),
      sign: report.totalReturn,
    },
    { label: 'CAGR', value: formatSignedPercent(report.cagr), sign: report.cagr },
    { label: 'Annualized volatility', value: formatPercent(report.annualizedVolatility) },
    { label: 'Sharpe ratio', value: formatNumber(report.sharpeRatio), sign: report.sharpeRatio },
    { label: 'Sortino ratio', value: formatNumber(report.sortinoRatio), sign: report.sortinoRatio },
    { label: 'Calmar ratio', value: formatNumber(report.calmarRatio), sign: report.calmarRatio },
    { label: 'Max drawdown', value: drawdownText(report.maxDrawdown), sign: -report.maxDrawdown },
    {
      label: 'Max drawdown peak → trough',
      value:
        deepest === null
          ? '—'
          : `${formatDateTime(deepest.peakTime)} → ${formatDateTime(deepest.troughTime)}`,
    },
    {
      label: 'Max drawdown recovered',
      value:
        deepest === null
          ? '—'
          : deepest.recoveryTime === null
            ? 'not recovered'
            : formatDateTime(deepest.recoveryTime),
    },
    {
      label: 'Longest drawdown',
      value: `${formatDuration(report.longestDrawdownMs)} (${report.longestDrawdownPeriods} bars)`,
    },
    {
      label: 'Best bar',
      value: report.bestPeriod === null ? '—' : formatSignedPercent(report.bestPeriod.return),
      sign: report.bestPeriod?.return ?? null,
    },
    {
      label: 'Worst bar',
      value: report.worstPeriod === null ? '—' : formatSignedPercent(report.worstPeriod.return),
      sign: report.worstPeriod?.return ?? null,
    },
    { label: 'Bars (returns)', value: String(report.numberOfReturns) },
    {
      label: 'Periods per year',
      value: formatNumber(report.periodsPerYear, 0),
      hint: 'Used to annualize volatility, Sharpe and Sortino',
    },
    {
      label: 'CAGR year',
      value:
        report.yearBasis === 'calendar'
          ? `${formatNumber(report.yearLengthDays, Number.isInteger(report.yearLengthDays) ? 0 : 2)} days`
          : `${formatNumber(report.periodsPerYear, 0)} periods`,
      hint: 'The year CAGR and Calmar count: calendar days, or periods of the bar series',
    },
  ];
  const stats = report.trades;
  const trades: MetricRow[] = [
    { label: 'Trades', value: String(stats.numberOfTrades) },
    { label: 'Winning / losing', value: `${stats.winningTrades} / ${stats.losingTrades}` },
    { label: 'Win rate', value: formatPercent(stats.winRate) },
    { label: 'Profit factor', value: formatNumber(stats.profitFactor) },
    { label: `Expectancy${unit}`, value: formatAmount(stats.expectancy), sign: stats.expectancy },
    { label: `Gross profit${unit}`, value: formatAmount(stats.grossProfit) },
    { label: `Gross loss${unit}`, value: formatAmount(stats.grossLoss) },
    { label: `Average win${unit}`, value: formatAmount(stats.averageWin), sign: stats.averageWin },
    {
      label: `Average loss${unit}`,
      value: formatAmount(stats.averageLoss),
      sign: stats.averageLoss,
    },
    { label: `Largest win${unit}`, value: formatAmount(stats.largestWin), sign: stats.largestWin },
    {
      label: `Largest loss${unit}`,
      value: formatAmount(stats.largestLoss),
      sign: stats.largestLoss,
    },
    { label: 'Time in the market', value: formatPercent(report.exposureTime) },
  ];
  return metricTable('Returns and risk', returns) + metricTable('Trade statistics', trades);
}
