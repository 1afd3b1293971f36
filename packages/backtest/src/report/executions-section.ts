import type { TransactionCostReport } from '@qtp/core';
import { coord, renderAxes } from './chart-axes.js';
import {
  escapeHtml,
  formatAmount,
  formatDateTime,
  formatDuration,
  formatNumber,
  signClass,
} from './format.js';
import { stepDecimals, timeTicks, valueTicks } from './ticks.js';

/** One parent order of an execution algorithm, as the tearsheet's execution section shows it. */
export interface TearsheetExecution {
  /** The parent's id. */
  readonly parentClientOrderId: string;
  /** The algorithm's name, such as `TWAP`. */
  readonly algorithm: string;
  /** The instrument traded. */
  readonly instrumentId: string;
  /** Buy or sell. */
  readonly side: 'BUY' | 'SELL';
  /** How it ended: `FILLED`, `CANCELED` or `STOPPED`. */
  readonly status: string;
  /** The parent's quantity, a decimal string. */
  readonly quantity: string;
  /** What its children filled, a decimal string. */
  readonly filledQuantity: string;
  /** When it started, epoch milliseconds. */
  readonly startTimeMs: number;
  /** When it ended, epoch milliseconds. */
  readonly endTimeMs: number;
  /** Its cost analysis; `null` when nothing filled. */
  readonly costs: TransactionCostReport | null;
  /** Its children's fills, in time order: price in quote units, quantity in base units. */
  readonly fills: readonly {
    readonly timeMs: number;
    readonly price: number;
    readonly quantity: number;
  }[];
  /** The market's prices around its life (trades or bar closes), thinned to a few thousand. */
  readonly market: {
    /** Times, epoch milliseconds, increasing. */
    readonly times: readonly number[];
    /** The price at each time. */
    readonly prices: readonly number[];
  };
}

const WIDTH = 960;
const HEIGHT = 240;
const MARGIN = { top: 14, right: 18, bottom: 30, left: 86 } as const;

const SECTION_CSS =
  '.exec-chart .market{fill:none;stroke:var(--faint);stroke-width:1.2;vector-effect:non-scaling-stroke}' +
  '.exec-chart .fill-buy{fill:var(--pos);fill-opacity:.75}.exec-chart .fill-sell{fill:var(--neg);fill-opacity:.75}' +
  '.exec-chart .arrival{stroke:var(--accent);stroke-dasharray:4 4;stroke-width:1}' +
  '.exec-chart .vwap{stroke:var(--muted);stroke-dasharray:1 3;stroke-width:1.2}' +
  '.exec-chart figcaption{color:var(--muted);font-size:12px;margin:4px 0 12px}';

function bpsCell(value: number | null | undefined): string {
  if (value === null || value === undefined) return '<td>—</td>';
  return `<td class="${signClass(-value)}">${escapeHtml(formatNumber(value, 1))}</td>`;
}

function table(executions: readonly TearsheetExecution[]): string {
  const head = [
    'Parent',
    'Algorithm',
    'Side',
    'Status',
    'Started',
    'Took',
    'Filled',
    'Avg price',
    'Arrival',
    'IS (bps)',
    'vs VWAP (bps)',
    'vs close (bps)',
    'Impact est. (bps)',
    'Participation',
    'Fees',
  ]
    .map((label) => `<th scope="col">${escapeHtml(label)}</th>`)
    .join('');
  const rows = executions.map((execution) => {
    const costs = execution.costs;
    const price = (value: number | undefined) =>
      value === undefined
        ? '—'
        : formatNumber(value, Math.min(10, Math.max(2, 5 - magnitude(value))));
    const cells = [
      `<td class="text">${escapeHtml(execution.parentClientOrderId)}</td>`,
      `<td class="text">${escapeHtml(execution.algorithm)}</td>`,
      `<td class="text side-${execution.side === 'BUY' ? 'long' : 'short'}">${execution.side === 'BUY' ? 'Buy' : 'Sell'}</td>`,
      `<td class="text">${escapeHtml(execution.status)}</td>`,
      `<td class="time">${escapeHtml(formatDateTime(execution.startTimeMs))}</td>`,
      `<td class="time">${escapeHtml(formatDuration(execution.endTimeMs - execution.startTimeMs))}</td>`,
      `<td>${escapeHtml(`${execution.filledQuantity} / ${execution.quantity}`)}</td>`,
      `<td>${escapeHtml(price(costs?.averagePrice))}</td>`,
      `<td>${escapeHtml(price(costs?.arrivalPrice))}</td>`,
      bpsCell(costs?.implementationShortfallBps),
      bpsCell(costs?.slippageVsVwapBps),
      bpsCell(costs?.slippageVsCloseBps),
      bpsCell(costs?.estimatedImpactBps),
      `<td>${costs === null ? '—' : escapeHtml(`${formatNumber(costs.participation * 100, 2)}%`)}</td>`,
      `<td>${costs === null ? '—' : escapeHtml(formatAmount(costs.fees))}</td>`,
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  return `<div class="scroll trades-scroll"><table class="trades"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function magnitude(value: number): number {
  return value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
}

/**
 * Renders one parent's chart: the market's price over its life as a line, each child fill as a
 * dot whose area grows with its quantity, the arrival price dashed and the interval VWAP dotted.
 */
export function renderExecutionChart(execution: TearsheetExecution): string {
  const { market, fills } = execution;
  const t0 = execution.startTimeMs;
  const t1 = Math.max(execution.endTimeMs, t0 + 1);
  const inside: number[] = [];
  for (let i = 0; i < market.times.length; i++) {
    const t = market.times[i]!;
    if (t >= t0 && t <= t1) inside.push(i);
  }
  const values = [
    ...inside.map((i) => market.prices[i]!),
    ...fills.map((fill) => fill.price),
    ...(execution.costs === null
      ? []
      : [execution.costs.arrivalPrice, execution.costs.intervalVwap]),
  ];
  if (values.length === 0) {
    return `<figure class="chart chart-empty exec-chart"><p>No market prices or fills to draw for ${escapeHtml(execution.parentClientOrderId)}.</p></figure>`;
  }
  let low = Math.min(...values);
  let high = Math.max(...values);
  if (low === high) {
    low -= Math.abs(low) * 0.001 || 1;
    high += Math.abs(high) * 0.001 || 1;
  }
  const axis = valueTicks(low, high, 4);
  const [v0, v1] = [axis.min, axis.max];
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (t: number) => MARGIN.left + ((t - t0) / (t1 - t0)) * plotWidth;
  const y = (v: number) => MARGIN.top + (1 - (v - v0) / (v1 - v0)) * plotHeight;
  const right = MARGIN.left + plotWidth;
  const parts: string[] = [
    renderAxes({
      area: {
        left: MARGIN.left,
        top: MARGIN.top,
        width: plotWidth,
        height: plotHeight,
        svgHeight: HEIGHT,
      },
      valueTicks: axis.ticks,
      valueLabel: (tick) => formatNumber(tick, stepDecimals(axis.step)),
      timeTicks: timeTicks(t0, t1, 6),
      x,
      y,
    }),
  ];
  if (inside.length > 1) {
    const points = inside.map(
      (i) => `${coord(x(market.times[i]!))},${coord(y(market.prices[i]!))}`,
    );
    parts.push(`<polyline class="market" points="${points.join(' ')}"/>`);
  }
  if (execution.costs !== null) {
    const ay = coord(y(execution.costs.arrivalPrice));
    const vy = coord(y(execution.costs.intervalVwap));
    parts.push(`<line class="arrival" x1="${MARGIN.left}" y1="${ay}" x2="${right}" y2="${ay}"/>`);
    parts.push(`<line class="vwap" x1="${MARGIN.left}" y1="${vy}" x2="${right}" y2="${vy}"/>`);
  }
  const largest = Math.max(...fills.map((fill) => fill.quantity), 0);
  const dot = execution.side === 'BUY' ? 'fill-buy' : 'fill-sell';
  for (const fill of fills) {
    const r = largest > 0 ? 2 + 5 * Math.sqrt(fill.quantity / largest) : 3;
    parts.push(
      `<circle class="${dot}" cx="${coord(x(fill.timeMs))}" cy="${coord(y(fill.price))}" r="${coord(r)}"><title>${escapeHtml(`${formatDateTime(fill.timeMs)}: ${fill.quantity} at ${fill.price}`)}</title></circle>`,
    );
  }
  parts.push(
    `<rect class="frame" x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}"/>`,
  );
  const label = `${execution.algorithm} ${execution.side === 'BUY' ? 'buy' : 'sell'} ${execution.parentClientOrderId}: ${fills.length} child fills against the market price`;
  return (
    `<figure class="chart exec-chart" data-execution="${escapeHtml(execution.parentClientOrderId)}">` +
    `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</svg>` +
    `<figcaption>${escapeHtml(label)}; dashed: arrival price, dotted: interval VWAP.</figcaption>` +
    '</figure>'
  );
}

/**
 * Renders the execution section: a table of each parent's transaction costs (implementation
 * shortfall, slippage against the interval VWAP and the close, the impact estimate beside them,
 * participation and fees), and a chart of its child fills against the market for the first
 * `maxCharts` parents.
 */
export function renderExecutions(
  executions: readonly TearsheetExecution[],
  maxCharts = 20,
): string {
  if (executions.length === 0) return '<p class="empty">No parent orders.</p>';
  const shown = executions.slice(0, maxCharts);
  const note =
    shown.length < executions.length
      ? `<p class="note">Charts for the first ${shown.length} of ${executions.length} parents.</p>`
      : '';
  return `<style>${SECTION_CSS}</style>${table(executions)}${shown.map(renderExecutionChart).join('')}${note}`;
}
