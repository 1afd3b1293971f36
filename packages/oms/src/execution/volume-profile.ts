import { type Bar, ValidationError } from '@qtp/core';

const DAY_MS = 86_400_000;

/**
 * How the volume of a day is spread over its buckets: `weights[i]` is the share traded in the
 * `i`-th bucket of `bucketMs` after midnight UTC; the weights add up to 1.
 */
export interface VolumeProfile {
  /** The bucket length, ms; divides a day. */
  readonly bucketMs: number;
  /** One share per bucket of the day, adding up to 1. */
  readonly weights: readonly number[];
}

/**
 * Returns the volume profile of historical bars by time of day (UTC): each bar's volume goes to
 * the bucket its open time falls in, and the sums are scaled to add up to 1.
 *
 * @throws `ValidationError` naming `bucketMs` when it does not divide a day, or `bars` when there
 * is no bar or no volume at all
 * @example
 * ```ts
 * import { volumeProfile } from '@qtp/oms';
 * const profile = volumeProfile(history, { bucketMs: 30 * 60_000 }); // 48 half-hour shares
 * ```
 */
export function volumeProfile(
  bars: Iterable<Bar>,
  options: { readonly bucketMs: number },
): VolumeProfile {
  const { bucketMs } = options;
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0 || DAY_MS % bucketMs !== 0) {
    throw new ValidationError('bucketMs', 'be a whole number of ms that divides a day', bucketMs);
  }
  const sums = new Array<number>(DAY_MS / bucketMs).fill(0);
  let total = 0;
  let count = 0;
  for (const bar of bars) {
    const index = Math.floor((((bar.openTimeMs % DAY_MS) + DAY_MS) % DAY_MS) / bucketMs);
    sums[index]! += bar.volume;
    total += bar.volume;
    count++;
  }
  if (count === 0) throw new ValidationError('bars', 'hold at least one bar', 0);
  if (!(total > 0)) throw new ValidationError('bars', 'trade some volume', total);
  return Object.freeze({ bucketMs, weights: Object.freeze(sums.map((sum) => sum / total)) });
}

/**
 * Returns the share of the profile's volume traded from `fromMs` to `toMs`, counting a bucket
 * cut by either end in proportion to the part inside (volume assumed even within a bucket).
 */
export function profileShare(profile: VolumeProfile, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const { bucketMs, weights } = profile;
  let share = 0;
  let t = fromMs;
  while (t < toMs) {
    const bucketStart = Math.floor(t / bucketMs) * bucketMs;
    const bucketEnd = bucketStart + bucketMs;
    const end = Math.min(bucketEnd, toMs);
    const index = Math.floor((((bucketStart % DAY_MS) + DAY_MS) % DAY_MS) / bucketMs);
    share += (weights[index]! * (end - t)) / bucketMs;
    t = end;
  }
  return share;
}
