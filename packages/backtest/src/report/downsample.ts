/** A series of points, in time order. */
export interface Series {
  readonly times: number[];
  readonly values: number[];
}

/**
 * Reduces a series to at most `maxPoints` points (and never fewer than the first and last) by
 * min/max bucketing: the points are cut into `maxPoints / 2` buckets of consecutive indices and
 * each bucket keeps its lowest and highest point, in time order. Unlike striding or averaging,
 * this keeps every spike and every trough, so a drawn line reaches the same extremes as the
 * full series.
 */
export function downsampleMinMax(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  maxPoints: number,
): Series {
  const n = values.length;
  if (n <= maxPoints) {
    return { times: Array.from(times), values: Array.from(values) };
  }
  const out: Series = { times: [], values: [] };
  const push = (i: number): void => {
    out.times.push(times[i]!);
    out.values.push(values[i]!);
  };
  // The first and last points keep the chart's span; the buckets cover the interior.
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const interior = n - 2;
  push(0);
  for (let b = 0; b < buckets; b++) {
    const from = 1 + Math.floor((b * interior) / buckets);
    const to = 1 + Math.floor(((b + 1) * interior) / buckets);
    if (from >= to) continue;
    let low = from;
    let high = from;
    for (let i = from + 1; i < to; i++) {
      if (values[i]! < values[low]!) low = i;
      if (values[i]! > values[high]!) high = i;
    }
    if (low === high) push(low);
    else if (low < high) {
      push(low);
      push(high);
    } else {
      push(high);
      push(low);
    }
  }
  push(n - 1);
  return out;
}
