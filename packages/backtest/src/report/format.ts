// Formatting for the tearsheet. Everything here is locale-independent (no `toLocaleString`,
// no `Intl`), so the same input renders byte-for-byte the same file on every machine.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

/** Inserts thousands separators into a plain decimal string: `-12345.6` → `-12,345.6`. */
export function groupDigits(decimal: string): string {
  const match = /^([+-]?)(\d+)(\.\d+)?$/.exec(decimal);
  if (match === null) return decimal;
  const [, sign = '', whole = '', fraction = ''] = match;
  return sign + whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + fraction;
}

/** Formats a number with a fixed number of decimals and thousands separators; `—` for null. */
export function formatNumber(value: number | null, decimals = 2): string {
  if (value === null || !Number.isFinite(value)) return '—';
  // Avoids printing `-0.00` for tiny negatives.
  const fixed = value.toFixed(decimals);
  return groupDigits(/^-0\.?0*$/.test(fixed) ? fixed.slice(1) : fixed);
}

/**
 * Formats an amount of money with about four significant digits but never fewer than two
 * decimals (`691.87`, `0.004810`, `12,345.67`), so amounts in BTC stay readable next to USDT.
 */
export function formatAmount(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  return formatNumber(value, Math.min(8, Math.max(2, 3 - magnitude)));
}

/** Formats a fraction as a percentage (`0.1234` → `12.34%`); `—` for null. */
export function formatPercent(value: number | null, decimals = 2): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${formatNumber(value * 100, decimals)}%`;
}

/** Formats a fraction as a signed percentage (`0.05` → `+5.00%`); `—` for null. */
export function formatSignedPercent(value: number | null, decimals = 2): string {
  const text = formatPercent(value, decimals);
  return value !== null && value > 0 && text !== `${formatNumber(0, decimals)}%`
    ? `+${text}`
    : text;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Formats epoch milliseconds as a UTC date: `2024-01-05`. */
export function formatDate(time: number): string {
  const date = new Date(time);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** Formats epoch milliseconds as UTC date and time, with seconds only when they are not zero. */
export function formatDateTime(time: number): string {
  const date = new Date(time);
  const seconds = date.getUTCSeconds();
  return (
    `${formatDate(time)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}` +
    (seconds === 0 ? '' : `:${pad(seconds)}`)
  );
}

const DURATION_UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Formats a duration in milliseconds with its two largest units: `3d 4h`, `15m`, `0s`. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [unit, size] of DURATION_UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((part) => !part.startsWith('0'));
  return shown.length === 0 ? (ms > 0 ? `${Math.round(ms)}ms` : '0s') : shown.join(' ');
}

/** The CSS class for the sign of a number: `pos`, `neg` or none. */
export function signClass(value: number | null): string {
  if (value === null || value === 0) return '';
  return value > 0 ? 'pos' : 'neg';
}
