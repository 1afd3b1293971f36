import type { SweepProgress } from '../sweep/progress.js';

/** Where a progress bar is drawn: a writable text stream, such as `process.stderr`. */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether the stream is a terminal; the bar draws only on one. */
  readonly isTTY?: boolean;
}

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** Where to draw (default `process.stderr`). */
  readonly stream?: ProgressStream;
  /** Text before the bar, such as `sweep`. */
  readonly label?: string;
  /** The wall clock in milliseconds, for the rate and ETA (default `performance.now`). */
  readonly now?: () => number;
}

const WIDTH = 24;
// Redrawing a terminal line for every one of thousands of quick runs costs more than the runs.
const REDRAW_MS = 100;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * Returns an `onProgress` callback that draws a one-line progress bar in place on a terminal:
 * done/total, percentage, runs per second and the estimated time left. On a stream that is not a
 * terminal (a pipe, a CI log) it draws nothing. It ends the line when the last run is done.
 *
 * @example
 * ```ts
 * import { createProgressBar, runSweep } from '@qtp/backtest';
 * const sweep = await runSweep({ ...options, onProgress: createProgressBar({ label: 'sweep' }) });
 * // sweep [##########..............] 12/30  40% 3.1/s ETA 0:06
 * ```
 */
export function createProgressBar(
  options: ProgressBarOptions = {},
): (progress: SweepProgress) => void {
  const stream = options.stream ?? process.stderr;
  // A progress bar measures the wall clock on purpose: it reports to a person waiting.
  const now = options.now ?? (() => performance.now());
  const prefix = options.label === undefined ? '' : `${options.label} `;
  let startMs: number | undefined;
  let drawnMs = Number.NEGATIVE_INFINITY;
  let finished = false;
  return ({ done, total }) => {
    if (stream.isTTY !== true || finished) return;
    const nowMs = now();
    startMs ??= nowMs;
    const last = done >= total;
    if (!last && done > 0 && nowMs - drawnMs < REDRAW_MS) return;
    drawnMs = nowMs;
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * WIDTH);
    const elapsedMs = nowMs - startMs;
    const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
    const eta = rate > 0 ? duration(((total - done) / rate) * 1000) : '-:--';
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    const tail = last ? `in ${duration(elapsedMs)}` : `ETA ${eta}`;
    const bar = `${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}`;
    stream.write(
      `\r${prefix}[${bar}] ${done}/${total} ${percent} ${rate.toFixed(1)}/s ${tail}\u001b[K`,
    );
    if (last) {
      finished = true;
      stream.write('\n');
    }
  };
}
