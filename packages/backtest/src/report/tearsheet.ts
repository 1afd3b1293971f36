import { ValidationError } from '@qtp/core';
import { drawdownSeries } from '@qtp/portfolio';
import { renderEquityCharts } from '../charts/equity-charts.js';
import { renderExecutions } from './executions-section.js';
import { escapeHtml, formatDateTime, formatDuration } from './format.js';
import { renderMetrics, renderSummaryCards } from './metrics-section.js';
import { renderMonthlyReturns } from './monthly-returns-section.js';
import { TEARSHEET_CSS, TEARSHEET_SCRIPT, TEARSHEET_SCRIPT_SHA256 } from './page-assets.js';
import { hasRiskEvents, renderRiskEvents } from './risk-section.js';
import type {
  TearsheetAssumptions,
  TearsheetData,
  TearsheetParameterValue,
  TearsheetPeriod,
} from './tearsheet-data.js';
import { renderTrades } from './trades-section.js';
import { checkTearsheetData } from './validate.js';

/**
 * Options for {@link renderTearsheet} and {@link writeTearsheet}.
 *
 * @example
 * ```ts
 * import type { TearsheetOptions } from '@qtp/backtest';
 * const options: TearsheetOptions = { maxChartPoints: 4000, maxTrades: 200 };
 * ```
 */
export interface TearsheetOptions {
  /**
   * The most points each chart draws; longer curves are reduced by min/max bucketing, which
   * keeps every spike. 2000 when omitted; at least 16.
   */
  readonly maxChartPoints?: number;
  /** The most trades the trade list shows, from the first; 1000 when omitted; at least 1. */
  readonly maxTrades?: number;
}

function checkCount(
  field: string,
  value: number | undefined,
  least: number,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < least) {
    throw new ValidationError(field, `be an integer of at least ${least}`, value);
  }
  return value;
}

function parameterText(value: TearsheetParameterValue): string {
  if (value === null) return '—';
  if (Array.isArray(value))
    return value.map((item) => (item === null ? '—' : String(item))).join(', ');
  return String(value);
}

function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  const body = rows
    .map(
      ([key, value]) =>
        `<tr><th scope="row">${escapeHtml(key)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  return `<table class="kv"><tbody>${body}</tbody></table>`;
}

function renderParameters(parameters: TearsheetData['strategy']['parameters']): string {
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return '<p class="empty">No parameters.</p>';
  return keyValueTable(entries.map(([key, value]) => [key, parameterText(value)] as const));
}

function renderAssumptions(assumptions: TearsheetAssumptions | undefined): string {
  const list =
    assumptions === undefined
      ? []
      : Array.isArray(assumptions)
        ? assumptions
        : Object.entries(assumptions).map(([name, value]) => ({ name, value }));
  if (list.length === 0) return '<p class="empty">No assumptions were recorded.</p>';
  if (list.every((item) => typeof item !== 'string')) {
    return keyValueTable(list.map((item) => [item.name, item.value] as const));
  }
  const items = list.map((item) =>
    typeof item === 'string'
      ? `<li>${escapeHtml(item)}</li>`
      : `<li><b>${escapeHtml(item.name)}:</b> ${escapeHtml(item.value)}</li>`,
  );
  return `<ul class="assumptions">${items.join('')}</ul>`;
}

function periodOf(data: TearsheetData): TearsheetPeriod | null {
  if (data.period !== undefined) return data.period;
  const { times } = data.equity;
  if (times.length === 0) return null;
  return { start: times[0]!, end: times[times.length - 1]! };
}

function renderHeader(data: TearsheetData, title: string): string {
  const period = periodOf(data);
  const meta: [string, string][] = [
    ['Strategy', data.strategy.name],
    [
      data.instruments.length === 1 ? 'Instrument' : 'Instruments',
      data.instruments.join(', ') || '—',
    ],
    [
      'Period',
      period === null
        ? '—'
        : `${formatDateTime(period.start)} → ${formatDateTime(period.end)} UTC (${formatDuration(period.end - period.start)})`,
    ],
  ];
  if (data.currency !== undefined) meta.push(['Currency', data.currency]);
  const items = meta
    .map(([key, value]) => `<div><dt>${escapeHtml(key)}</dt><dd>${escapeHtml(value)}</dd></div>`)
    .join('');
  return `<header><h1>${escapeHtml(title)}</h1><dl class="meta">${items}</dl></header>`;
}

function section(name: string, heading: string, body: string): string {
  return `<section id="${name}"><h2>${escapeHtml(heading)}</h2>${body}</section>`;
}

/**
 * Renders a backtest as one self-contained HTML page: a header with the strategy, instruments
 * and period; headline figures; the equity curve and drawdown charts (inline SVG, downsampled by
 * min/max bucketing for long curves); the full metrics of the performance report; the strategy
 * parameters and the simulation's assumptions; monthly returns as a colored year × month table;
 * the risk events, when there are any; and the trade list.
 *
 * The page needs no network: styles and the one script (a hover readout on the charts) are
 * inline, fonts are the system's, and a Content Security Policy blocks every request and every
 * script but its own. Every string from the data is HTML-escaped. Times are shown in UTC. The
 * output depends only on the input, so the same data renders byte-for-byte the same page.
 *
 * @param data - the equity curve, performance report, trades, assumptions and metadata
 * @param options - chart resolution and how many trades to list
 * @returns the HTML document as a string
 * @throws ValidationError when a field of the data or an option is invalid, naming the field
 * @example
 * ```ts
 * import { renderTearsheet } from '@qtp/backtest';
 * import { computePerformance } from '@qtp/portfolio';
 *
 * const day = 86_400_000;
 * const times = [0, 1, 2, 3, 4].map((i) => Date.UTC(2024, 0, 1) + i * day);
 * const values = [10_000, 10_150, 9_980, 10_220, 10_310];
 * const trades = [
 *   {
 *     side: 'LONG' as const,
 *     entryTime: times[0]!,
 *     exitTime: times[4]!,
 *     quantity: '0.25',
 *     entryPrice: '42000.00',
 *     exitPrice: '43240.00',
 *     pnl: '310.00',
 *   },
 * ];
 * const performance = computePerformance(
 *   { times, values },
 *   { trades: trades.map((t) => ({ entryTime: t.entryTime, exitTime: t.exitTime, pnl: Number(t.pnl) })) },
 * );
 * const html = renderTearsheet({
 *   strategy: { name: 'SMA crossover', parameters: { fast: 10, slow: 30 } },
 *   instruments: ['BTCUSDT.BINANCE'],
 *   currency: 'USDT',
 *   equity: { times, values },
 *   performance,
 *   trades,
 *   assumptions: { 'Fill model': 'next bar open', Fees: '0.1 % taker' },
 * });
 * console.log(html.length);
 * ```
 */
export function renderTearsheet(data: TearsheetData, options: TearsheetOptions = {}): string {
  checkTearsheetData(data);
  const maxChartPoints = checkCount('maxChartPoints', options.maxChartPoints, 16, 2000);
  const maxTrades = checkCount('maxTrades', options.maxTrades, 1, 1000);
  const title = data.title ?? `Backtest: ${data.strategy.name}`;
  const currency = data.currency ?? '';
  const { times, values } = data.equity;
  const report = data.performance;

  // The report's drawdowns belong to the same curve when the lengths agree; otherwise (a report
  // computed from another sampling of the curve) they are recomputed from the curve shown.
  const drawdowns =
    report.drawdowns.length === values.length ? report.drawdowns : drawdownSeries(values);
  const charts = renderEquityCharts({
    times,
    equity: values,
    drawdown: drawdowns,
    currency,
    maxPoints: maxChartPoints,
  });
  const equityChart = charts.equity;
  const drawdownChart = charts.drawdown;

  const body = [
    renderHeader(data, title),
    renderSummaryCards(report),
    section('equity', `Equity${currency === '' ? '' : ` (${currency})`}`, equityChart),
    section('drawdown', 'Drawdown', drawdownChart),
    '<div class="columns">',
    section('metrics', 'Metrics', renderMetrics(report, currency)),
    '<div>',
    section('parameters', 'Strategy parameters', renderParameters(data.strategy.parameters)),
    section('assumptions', 'Assumptions', renderAssumptions(data.assumptions)),
    '</div></div>',
    section('monthly-returns', 'Returns by month', renderMonthlyReturns(report.monthly)),
    ...(hasRiskEvents(data.risk)
      ? [section('risk', 'Risk events', renderRiskEvents(data.risk))]
      : []),
    ...(data.executions !== undefined && data.executions.length > 0
      ? [
          section(
            'executions',
            `Executions (${data.executions.length})`,
            renderExecutions(data.executions),
          ),
        ]
      : []),
    section(
      'trades',
      `Trades (${data.trades.length})`,
      renderTrades(data.trades, currency, maxTrades),
    ),
    `<footer>Made with @qtp/backtest${data.generatedAt === undefined ? '' : ` on ${escapeHtml(formatDateTime(data.generatedAt))} UTC`}. Times are UTC.</footer>`,
  ].join('\n');

  // The policy allows no request at all and only this exact script, so the page stays offline
  // and any markup that slipped into the data could not run even if it escaped escaping.
  const policy = `default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${TEARSHEET_SCRIPT_SHA256}'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="generator" content="@qtp/backtest">
<title>${escapeHtml(title)}</title>
<style>${TEARSHEET_CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script>${TEARSHEET_SCRIPT}</script>
</body>
</html>
`;
}
