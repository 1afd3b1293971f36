/** Axis ticks: the domain they span and the tick positions inside it. */
export interface ValueTicks {
  /** The lower end of the axis. */
  readonly min: number;
  /** The upper end of the axis. */
  readonly max: number;
  /** The tick values, ascending. */
  readonly ticks: number[];
  /** The tick spacing, to pick how many decimals the labels need. */
  readonly step: number;
}

/** Rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten, the steps people read easily. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice =
    fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** Cleans floating-point noise off a multiple of the step (`0.30000000000000004` → `0.3`). */
function snap(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(Math.min(decimals, 15)));
}

/**
 * Returns about `count` evenly spaced round ticks covering `[low, high]`, with the axis widened
 * to the nearest ticks outside the data so the line never touches the frame.
 */
export function valueTicks(low: number, high: number, count: number): ValueTicks {
  let lo = low;
  let hi = high;
  if (!(hi > lo)) {
    // A flat series still needs a visible range around its value.
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.01 : 1;
    lo -= pad;
    hi += pad;
  }
  const step = niceStep((hi - lo) / count);
  const min = snap(Math.floor(lo / step) * step, step);
  const max = snap(Math.ceil(hi / step) * step, step);
  const ticks: number[] = [];
  for (let k = 0; ; k++) {
    const tick = snap(min + k * step, step);
    if (tick > max + step / 2) break;
    ticks.push(tick);
  }
  return { min, max, ticks, step };
}

/** The decimals a label needs to tell ticks `step` apart: 2.5 → 1, 100 → 0, 0.05 → 2. */
export function stepDecimals(step: number): number {
  for (let decimals = 0; decimals < 10; decimals++) {
    if (Math.abs(Number(step.toFixed(decimals)) - step) < step * 1e-9) return decimals;
  }
  return 10;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// The Unix epoch was a Thursday; weekly and fortnightly ticks fall on Mondays, four days later.
const MONDAY_OFFSET = 4 * DAY;

const FIXED_STEPS: readonly number[] = [
  SECOND,
  5 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  3 * DAY,
  7 * DAY,
  14 * DAY,
];
const MONTH_STEPS: readonly number[] = [1, 3, 6, 12, 24, 60, 120];
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
] as const;

/** The short English name of a month, 0-based. */
export function monthName(month: number): string {
  return MONTH_NAMES[month] ?? '';
}

/** A time tick and its label. */
export interface TimeTick {
  /** The tick time, epoch milliseconds. */
  readonly time: number;
  /** The label under the axis. */
  readonly label: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function labelTime(time: number, stepMs: number, months: number): string {
  const date = new Date(time);
  const year = date.getUTCFullYear();
  const month = monthName(date.getUTCMonth());
  if (months >= 12) return String(year);
  if (months > 0) return date.getUTCMonth() === 0 ? String(year) : month;
  const day = `${month} ${date.getUTCDate()}`;
  if (stepMs >= DAY)
    return date.getUTCMonth() === 0 && date.getUTCDate() === 1 ? String(year) : day;
  if (time % DAY === 0) return day;
  const clock = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return stepMs < MINUTE ? `${clock}:${pad(date.getUTCSeconds())}` : clock;
}

/**
 * Returns about `count` UTC time ticks inside `[start, end]` on calendar boundaries (round
 * seconds, minutes, hours, days, Mondays, months or years), labelled at the step's resolution.
 */
export function timeTicks(start: number, end: number, count: number): TimeTick[] {
  const span = Math.max(end - start, SECOND);
  // Up to half again as many ticks as asked for: a coarser step can leave a short span with
  // only two or three labels.
  const raw = span / (count * 1.5);
  const fixed = FIXED_STEPS.find((step) => step >= raw);
  if (fixed !== undefined) {
    const offset = fixed === 7 * DAY || fixed === 14 * DAY ? MONDAY_OFFSET : 0;
    const ticks: TimeTick[] = [];
    for (let t = Math.ceil((start - offset) / fixed) * fixed + offset; t <= end; t += fixed) {
      ticks.push({ time: t, label: labelTime(t, fixed, 0) });
    }
    return ticks;
  }
  const months = MONTH_STEPS.find((step) => step * 30 * DAY >= raw) ?? 12 * niceYears(raw);
  const first = new Date(start);
  let index = first.getUTCFullYear() * 12 + first.getUTCMonth();
  index = Math.ceil(index / months) * months;
  const ticks: TimeTick[] = [];
  for (;;) {
    const t = Date.UTC(Math.floor(index / 12), index % 12, 1);
    if (t > end) break;
    if (t >= start) ticks.push({ time: t, label: labelTime(t, 0, months) });
    index += months;
  }
  // Month names alone read well after a year label; without one the first tick names its year.
  const firstTick = ticks[0];
  if (months < 12 && firstTick !== undefined && !ticks.some((tick) => /^\d{4}$/.test(tick.label))) {
    ticks[0] = {
      time: firstTick.time,
      label: `${firstTick.label} ${new Date(firstTick.time).getUTCFullYear()}`,
    };
  }
  return ticks;
}

function niceYears(raw: number): number {
  return niceStep(raw / (365 * DAY));
}
