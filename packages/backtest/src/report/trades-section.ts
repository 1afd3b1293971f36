import { Decimal } from '@qtp/core';
import {
  escapeHtml,
  formatDateTime,
  formatDuration,
  formatNumber,
  formatSignedPercent,
  groupDigits,
  signClass,
} from './format.js';
import type { TearsheetTrade } from './tearsheet-data.js';

/**
 * The net return of a round trip: its P&L, net of fees, over its entry notional (entry price ×
 * quantity), so the return and the P&L beside it count the same fees.
 */
function netReturn(trade: TearsheetTrade): number {
  const notional = new Decimal(trade.entryPrice.trim()).times(trade.quantity.trim());
  return new Decimal(trade.pnl.trim()).div(notional).toNumber();
}

function cell(text: string, cls = ''): string {
  return `<td${cls === '' ? '' : ` class="${cls}"`}>${escapeHtml(text)}</td>`;
}

/**
 * Renders the trade list, at most `limit` rows, with the P&L and return colored by sign and a
 * note when rows were left out.
 */
export function renderTrades(
  trades: readonly TearsheetTrade[],
  currency: string,
  limit: number,
): string {
  if (trades.length === 0) return '<p class="empty">No closed trades.</p>';
  const showInstrument = trades.some((trade) => trade.instrument !== undefined);
  const shown = trades.slice(0, limit);
  const unit = currency === '' ? '' : ` (${escapeHtml(currency)})`;
  // Text columns align left, numbers and times right, headers with their column.
  const head = [
    ['#', 'text'],
    ...(showInstrument ? [['Instrument', 'text']] : []),
    ['Side', 'text'],
    ['Entry time', ''],
    ['Exit time', ''],
    ['Held', ''],
    ['Quantity', ''],
    ['Entry price', ''],
    ['Exit price', ''],
    [`Net P&amp;L${unit}`, ''],
    ['Net return', ''],
  ]
    .map(([label, cls]) => `<th scope="col"${cls === '' ? '' : ` class="${cls}"`}>${label}</th>`)
    .join('');
  const rows = shown.map((trade, i) => {
    const pnl = new Decimal(trade.pnl.trim());
    const tradeReturn = trade.return ?? netReturn(trade);
    const cells = [
      cell(String(i + 1), 'index'),
      // `SYMBOL.VENUE` may break after the dot, so a narrow window needs no scroll bar.
      ...(showInstrument
        ? [`<td class="text">${escapeHtml(trade.instrument ?? '').replaceAll('.', '.<wbr>')}</td>`]
        : []),
      cell(trade.side === 'LONG' ? 'Long' : 'Short', `text side-${trade.side.toLowerCase()}`),
      cell(formatDateTime(trade.entryTime), 'time'),
      cell(formatDateTime(trade.exitTime), 'time'),
      cell(formatDuration(trade.exitTime - trade.entryTime), 'time'),
      cell(groupDigits(trade.quantity.trim())),
      cell(groupDigits(trade.entryPrice.trim())),
      cell(groupDigits(trade.exitPrice.trim())),
      cell(groupDigits(trade.pnl.trim()), signClass(pnl.isZero() ? 0 : pnl.isNegative() ? -1 : 1)),
      cell(formatSignedPercent(tradeReturn), signClass(tradeReturn)),
    ];
    return `<tr>${cells.join('')}</tr>`;
  });
  const note =
    shown.length < trades.length
      ? `<p class="note">Showing the first ${formatNumber(shown.length, 0)} of ${formatNumber(trades.length, 0)} trades.</p>`
      : '';
  return `<div class="scroll trades-scroll"><table class="trades"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>${note}`;
}
