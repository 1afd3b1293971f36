import type { PeriodReturn } from '@qtp/portfolio';
import { escapeHtml, formatSignedPercent } from './format.js';
import { monthName } from './ticks.js';

/**
 * The cell's background: green for gains, red for losses, stronger the further the return is
 * from zero relative to the largest move in the table, so the grid reads as a heat map.
 */
function cellStyle(value: number, scale: number): string {
  if (value === 0 || scale === 0) return '';
  const strength = Math.min(1, Math.abs(value) / scale);
  const alpha = (0.1 + 0.55 * strength).toFixed(3);
  const rgb = value > 0 ? '22,163,74' : '220,38,38';
  return ` style="background:rgba(${rgb},${alpha})"`;
}

/**
 * Renders the monthly returns as a year × month table with a compounded year column. Months
 * without an observation stay empty.
 */
export function renderMonthlyReturns(monthly: readonly PeriodReturn[]): string {
  if (monthly.length === 0)
    return '<p class="empty">No monthly returns: the equity curve is empty.</p>';
  const years = new Map<number, (number | undefined)[]>();
  for (const period of monthly) {
    const date = new Date(period.start);
    const year = date.getUTCFullYear();
    let row = years.get(year);
    if (row === undefined) {
      row = new Array<number | undefined>(12).fill(undefined);
      years.set(year, row);
    }
    row[date.getUTCMonth()] = period.return;
  }
  const scale = monthly.reduce((largest, period) => Math.max(largest, Math.abs(period.return)), 0);
  const head = Array.from({ length: 12 }, (_, month) => `<th scope="col">${monthName(month)}</th>`);
  const rows = [...years.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, months]) => {
      // Each month is measured from the previous listed month's close, so compounding the
      // months of a year gives the year's return from the previous year's close.
      let growth = 1;
      const cells = months.map((value) => {
        if (value === undefined) return '<td class="none"></td>';
        growth *= 1 + value;
        return `<td${cellStyle(value, scale)}>${escapeHtml(formatSignedPercent(value, 1))}</td>`;
      });
      const yearReturn = growth - 1;
      return `<tr><th scope="row">${year}</th>${cells.join('')}<td class="year"${cellStyle(yearReturn, Math.max(scale, Math.abs(yearReturn)))}>${escapeHtml(formatSignedPercent(yearReturn, 1))}</td></tr>`;
    });
  return (
    '<div class="scroll"><table class="monthly"><thead><tr><th scope="col"></th>' +
    head.join('') +
    '<th scope="col">Year</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table></div>'
  );
}
