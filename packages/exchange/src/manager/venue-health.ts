import { isQtpError, ValidationError } from '@qtp/core';

/** A venue's health: `HEALTHY`, `DEGRADED` (slow or erring, still used) or `DOWN` (not used). */
export type VenueHealthStatus = 'HEALTHY' | 'DEGRADED' | 'DOWN';

/** Thresholds of {@link VenueHealth}. */
export interface VenueHealthOptions {
  /** A venue with market subscriptions and no event for this long is `DOWN` (default 30 000 ms). */
  readonly staleAfterMs?: number;
  /** Consecutive retryable failures that make a venue `DOWN` (default 3). */
  readonly maxConsecutiveErrors?: number;
  /** A mean call latency above this makes a venue `DEGRADED` (default 2000 ms). */
  readonly degradedLatencyMs?: number;
}

/** A snapshot of one venue's health, as {@link VenueHealth.report} returns it. */
export interface VenueHealthReport {
  /** The venue. */
  readonly venue: string;
  /** The verdict. */
  readonly status: VenueHealthStatus;
  /** Why, in words. */
  readonly reason: string;
  /** The time of the venue's last event, epoch milliseconds, or `undefined` before any. */
  readonly lastHeartbeatMs: number | undefined;
  /** The mean latency of recent calls, in milliseconds, or `undefined` before any. */
  readonly meanLatencyMs: number | undefined;
  /** Retryable failures in a row. */
  readonly consecutiveErrors: number;
}

/**
 * The health of one venue from three signals: heartbeats (any market data or execution event),
 * the latency of calls, and retryable errors in a row. Definitive errors (an order refused) say
 * nothing about health and are ignored. Pure state: the caller feeds it and reads the verdict.
 *
 * @example
 * ```ts
 * import { VenueHealth } from '@qtp/exchange';
 * const health = new VenueHealth('BINANCE', { staleAfterMs: 10_000 });
 * health.heartbeat(1_000);
 * health.report(5_000, true).status; // 'HEALTHY'
 * ```
 */
export class VenueHealth {
  /** The venue. */
  readonly venue: string;
  private readonly staleAfterMs: number;
  private readonly maxErrors: number;
  private readonly degradedLatencyMs: number;
  private lastHeartbeat: number | undefined;
  private latencies: number[] = [];
  private errors = 0;

  /**
   * Creates the health of a venue that has not yet been heard from.
   * @throws {@link @qtp/core!ValidationError} when a threshold is not a positive number
   */
  constructor(venue: string, options: VenueHealthOptions = {}) {
    this.venue = venue;
    this.staleAfterMs = options.staleAfterMs ?? 30_000;
    this.maxErrors = options.maxConsecutiveErrors ?? 3;
    this.degradedLatencyMs = options.degradedLatencyMs ?? 2000;
    for (const [field, value] of [
      ['staleAfterMs', this.staleAfterMs],
      ['maxConsecutiveErrors', this.maxErrors],
      ['degradedLatencyMs', this.degradedLatencyMs],
    ] as const) {
      if (!(Number.isFinite(value) && value > 0))
        throw new ValidationError(field, 'be a positive number', value);
    }
  }

  /** Records an event from the venue at `timeMs`. */
  heartbeat(timeMs: number): void {
    this.lastHeartbeat = Math.max(this.lastHeartbeat ?? timeMs, timeMs);
  }

  /** Records a call that succeeded after `latencyMs`; it counts as a heartbeat too. */
  success(latencyMs: number, timeMs: number): void {
    this.errors = 0;
    this.latencies.push(latencyMs);
    if (this.latencies.length > 20) this.latencies = this.latencies.slice(-20);
    this.heartbeat(timeMs);
  }

  /** Records a failed call; only retryable failures (network, timeouts, 5XX, rate limits) count. */
  failure(error: unknown): void {
    if (isQtpError(error) && !error.retryable && error.code !== 'ORDER_STATE_UNKNOWN') return;
    this.errors += 1;
  }

  /**
   * Returns the verdict at `nowMs`. A venue is `DOWN` after too many failures in a row, or when
   * `expectsData` (it has market subscriptions) and it was silent past `staleAfterMs`; `DEGRADED`
   * when its mean latency is above the threshold or it failed at least once in a row.
   */
  report(nowMs: number, expectsData: boolean): VenueHealthReport {
    const mean =
      this.latencies.length === 0
        ? undefined
        : this.latencies.reduce((a, b) => a + b, 0) / this.latencies.length;
    const base = {
      venue: this.venue,
      lastHeartbeatMs: this.lastHeartbeat,
      meanLatencyMs: mean,
      consecutiveErrors: this.errors,
    };
    if (this.errors >= this.maxErrors) {
      return { ...base, status: 'DOWN', reason: `${this.errors} failures in a row` };
    }
    if (
      expectsData &&
      this.lastHeartbeat !== undefined &&
      nowMs - this.lastHeartbeat > this.staleAfterMs
    ) {
      return { ...base, status: 'DOWN', reason: `silent for ${nowMs - this.lastHeartbeat} ms` };
    }
    if (mean !== undefined && mean > this.degradedLatencyMs) {
      return { ...base, status: 'DEGRADED', reason: `mean latency ${Math.round(mean)} ms` };
    }
    if (this.errors > 0)
      return { ...base, status: 'DEGRADED', reason: `${this.errors} failure(s) in a row` };
    return { ...base, status: 'HEALTHY', reason: 'ok' };
  }
}
