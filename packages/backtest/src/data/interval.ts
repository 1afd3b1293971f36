import { type BarInterval, type BarIntervalUnit, ValidationError } from '@qtp/core';

const UNITS: readonly (readonly [BarIntervalUnit, number])[] = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * Returns the `BarInterval` that lasts `ms` milliseconds, written in the largest unit that
 * divides it: `60000` is `'1m'`, `5400000` is `'90m'`, `604800000` is `'1w'`.
 *
 * @throws ValidationError naming `interval` when `ms` is not a positive whole number of seconds
 * @example
 * ```ts
 * import { barIntervalFromMs } from '@qtp/backtest';
 * barIntervalFromMs(300_000); // '5m'
 * ```
 */
export function barIntervalFromMs(ms: number): BarInterval {
  if (Number.isSafeInteger(ms) && ms > 0) {
    for (const [unit, unitMs] of UNITS) {
      const count = ms / unitMs;
      if (Number.isInteger(count) && count < 1_000_000) return `${count}${unit}`;
    }
  }
  throw new ValidationError('interval', 'be a positive whole number of seconds, in ms', ms);
}
