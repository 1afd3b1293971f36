import { isQtpError, QtpError, type RateLimitError, ValidationError } from '@qtp/core';
import Bottleneck from 'bottleneck';
import type { CounterMetric, GaugeMetric, MetricsRegistry } from '../observability/metrics.js';
import { platformNow, platformTimer } from './platform.js';
import type { ExecuteOptions, ResiliencePolicy } from './policy.js';

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** A name for errors and metrics labels, for example `BINANCE/REQUEST_WEIGHT` (default `default`). */
  name?: string;
  /**
   * The budget of one window: total weight, or number of requests when every call weighs 1
   * (Binance: 6000 weight per minute, 100 orders per 10 seconds).
   */
  limit: number;
  /**
   * The window length, in milliseconds. Windows are aligned to the clock, starting at whole
   * multiples of `intervalMs` since the epoch, as the venue counts them: a one-minute window
   * resets at every minute boundary, a one-day window at 00:00 UTC.
   */
  intervalMs: number;
  /** Reports queue length, weight sent and pauses, labelled by `limiter`. */
  metrics?: MetricsRegistry;
}

interface LimiterMetrics {
  readonly queued: GaugeMetric<'limiter'>;
  readonly weight: CounterMetric<'limiter'>;
  readonly pauses: CounterMetric<'limiter'>;
}

function checkPositive(field: string, value: number, integer: boolean): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value <= 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new ValidationError(
      field,
      integer ? 'be a whole number > 0' : 'be a positive number',
      value,
    );
  }
  return value;
}

/**
 * A rate limiter on bottleneck: calls wait in a priority queue until the current window's budget
 * covers their weight. With every call weighing 1 it limits requests per window; with weights it
 * limits request weight per window, as Binance counts it. Implements {@link ResiliencePolicy},
 * so it composes with the other policies, where the call's weight is `ExecuteOptions.weight`.
 *
 * It listens to the venue: {@link RateLimiter.reportUsage} lowers the remaining budget to what
 * the venue says is left, and {@link RateLimiter.pauseFor} (also triggered by a
 * {@link RateLimitError} with a retry-after thrown through it) sends nothing until the pause ends.
 *
 * Bottleneck queues the calls by priority and paces them with its reservoir, which the limiter
 * refills at each window boundary: bottleneck's own refresh counts windows from the limiter's
 * creation, not from the clock as venues do, and would let two windows' worth through within one
 * venue window. A ledger of the weight actually sent in the current window has the last word, so
 * a call released just before a boundary or a pause waits for the next window or the pause's end
 * instead of going over budget.
 *
 * @example
 * ```ts
 * import { RateLimiter } from '@qtp/core';
 * const weights = new RateLimiter({ name: 'BINANCE/REQUEST_WEIGHT', limit: 6_000, intervalMs: 60_000 });
 * const depth = await weights.execute(() => client.getDepth('BTCUSDT'), { weight: 5 });
 * weights.reportUsage(Number(response.headers.get('x-mbx-used-weight-1m')));
 * ```
 */
export class RateLimiter implements ResiliencePolicy {
  /** The limiter's name. */
  readonly name: string;
  /** The budget of one window. */
  readonly limit: number;
  /** The window length, in milliseconds. */
  readonly intervalMs: number;
  private readonly bottleneck: Bottleneck;
  private readonly metrics: LimiterMetrics | undefined;
  /** Read-modify-write steps on bottleneck's reservoir run one after another, in call order. */
  private operations: Promise<void> = Promise.resolve();
  /** The window the ledger counts, as an index of whole intervals since the epoch. */
  private ledgerWindow: number;
  /** Weight sent in the ledger's window, or reported used by the venue when that is more. */
  private spent = 0;
  private cancelWindowTimer: () => void = () => {};
  private startNextWindow: () => void = () => {};
  private nextWindow: Promise<void>;
  private pausedUntilMs = 0;
  private cancelPauseTimer: (() => void) | undefined;
  private resume: (() => void) | undefined;
  private resumed: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Calls waiting for a pause's end or the next window, outside bottleneck's queue. */
  private parked = 0;
  /** Calls on their way into bottleneck's queue. */
  private entering = 0;

  /**
   * Creates a limiter whose first window, the one under way, starts with the full budget.
   * @throws `ValidationError` when `limit` or `intervalMs` is not positive
   */
  constructor(options: RateLimiterOptions) {
    this.name = options.name ?? 'default';
    this.limit = checkPositive('limit', options.limit, false);
    this.intervalMs = checkPositive('intervalMs', options.intervalMs, true);
    this.bottleneck = new Bottleneck({ reservoir: this.limit, id: this.name });
    this.ledgerWindow = this.currentWindow();
    this.nextWindow = this.armWindowTimer(this.ledgerWindow);
    const registry = options.metrics;
    this.metrics =
      registry === undefined
        ? undefined
        : {
            queued: registry.gauge('qtp_rate_limiter_queued', 'Calls waiting in a rate limiter.', [
              'limiter',
            ]),
            weight: registry.counter(
              'qtp_rate_limiter_weight_total',
              'Weight sent through a rate limiter.',
              ['limiter'],
            ),
            pauses: registry.counter(
              'qtp_rate_limiter_pauses_total',
              'Retry-after pauses of a rate limiter.',
              ['limiter'],
            ),
          };
    if (this.metrics !== undefined) {
      const update = (): void =>
        this.metrics?.queued.set({ limiter: this.name }, this.bottleneck.queued());
      this.bottleneck.on('queued', update);
      this.bottleneck.on('executing', update);
      this.bottleneck.on('dropped', update);
      update();
    }
  }

  /**
   * Runs `fn` once the window's budget covers `options.weight` (default 1), in order of
   * `options.priority` (0 first, default 5) and then of arrival, and returns its result. When
   * `fn` throws a {@link RateLimitError} with `retryAfterMs`, the limiter pauses for that long
   * before passing the error on.
   * @throws `ValidationError` when the weight is negative or above the limit, which could
   * never be sent
   * @throws `QtpError` with code `INTERNAL` when the limiter is stopped before the call
   * is sent
   */
  async execute<T>(
    fn: (signal: AbortSignal) => Promise<T> | T,
    options: ExecuteOptions = {},
  ): Promise<T> {
    const weight = options.weight ?? 1;
    if (
      typeof weight !== 'number' ||
      !Number.isFinite(weight) ||
      weight < 0 ||
      weight > this.limit
    ) {
      throw new ValidationError('weight', `be a number from 0 to the limit ${this.limit}`, weight);
    }
    const priority = options.priority ?? 5;
    if (!Number.isInteger(priority) || priority < 0 || priority > 9) {
      throw new ValidationError('priority', 'be a whole number from 0 to 9', priority);
    }
    if (this.canSendAtOnce(weight)) {
      // Nothing waits and the window has room: the call goes out now instead of through
      // bottleneck's queue, which yields to a timer at every step (about a millisecond each).
      // Bottleneck's reservoir is lowered after it, so calls that do queue see the weight spent.
      this.enqueue(async () => {
        await this.bottleneck.incrementReservoir(-weight);
      });
      return this.send(fn, options, weight);
    }
    // Reservoir changes still under way (the weight of calls sent at once) reach bottleneck
    // before this call queues, so bottleneck never releases it on a budget already spent.
    this.entering += 1;
    let scheduled: Promise<T>;
    try {
      await this.operations;
      scheduled = this.bottleneck.schedule({ weight, priority }, () =>
        this.send(fn, options, weight),
      );
    } finally {
      this.entering -= 1;
    }
    try {
      return await scheduled;
    } catch (error) {
      if (!(error instanceof Bottleneck.BottleneckError)) throw error;
      throw new QtpError(
        'INTERNAL',
        `rate limiter ${this.name} stopped before the call was sent`,
        false,
        {
          cause: error,
          details: { limiter: this.name },
        },
      );
    }
  }

  /** Whether a call of `weight` may skip the queue: nothing waits, no pause, budget left. */
  private canSendAtOnce(weight: number): boolean {
    if (this.stopped || this.parked > 0 || this.entering > 0 || this.isPaused()) return false;
    const counts = this.bottleneck.counts();
    if (counts.RECEIVED + counts.QUEUED + counts.RUNNING > 0) return false;
    this.rollLedger();
    return this.spent + weight <= this.limit;
  }

  private async send<T>(
    fn: (signal: AbortSignal) => Promise<T> | T,
    options: ExecuteOptions,
    weight: number,
  ): Promise<T> {
    // Bottleneck released the call, but it may have spent the budget of a window that has just
    // ended, or a pause may have begun since: then the call waits and queues again.
    if (this.isPaused()) {
      await this.parkUntil(this.resumed);
      return this.execute(fn, options);
    }
    this.rollLedger();
    if (this.spent + weight > this.limit) {
      await this.parkUntil(this.nextWindow);
      return this.execute(fn, options);
    }
    const signal = options.signal ?? new AbortController().signal;
    signal.throwIfAborted();
    this.spent += weight;
    this.metrics?.weight.inc({ limiter: this.name }, weight);
    try {
      return await fn(signal);
    } catch (error) {
      if (isQtpError(error, 'RATE_LIMIT')) {
        const wait = (error as RateLimitError).retryAfterMs;
        if (typeof wait === 'number' && wait > 0) this.pauseFor(wait);
      }
      throw error;
    }
  }

  // A parked call waits outside bottleneck's queue; while one does, no call may skip ahead of it.
  private async parkUntil(event: Promise<void>): Promise<void> {
    this.parked += 1;
    try {
      await event;
    } finally {
      this.parked -= 1;
    }
  }

  /**
   * Tells the limiter how much of the current window's budget the venue has counted, for example
   * from Binance's `X-MBX-USED-WEIGHT-1M` header. The remaining budget drops to
   * `limit - usedWeight` when that is lower; a report never raises it, since it leaves out the
   * calls still in flight when the venue counted.
   * @throws `ValidationError` when `usedWeight` is negative or not a number
   */
  reportUsage(usedWeight: number): void {
    if (typeof usedWeight !== 'number' || !Number.isFinite(usedWeight) || usedWeight < 0) {
      throw new ValidationError('usedWeight', 'be a number >= 0', usedWeight);
    }
    this.rollLedger();
    this.spent = Math.max(this.spent, Math.min(usedWeight, this.limit));
    const reportedIn = this.ledgerWindow;
    const target = this.limit - this.spent;
    this.enqueue(async () => {
      // Paused, the reservoir is already empty; in a later window the report no longer applies.
      if (this.resume !== undefined || reportedIn !== this.currentWindow()) return;
      const current = (await this.bottleneck.currentReservoir()) ?? this.limit;
      if (target < current) await this.bottleneck.incrementReservoir(target - current);
    });
  }

  /**
   * Sends nothing for `ms` milliseconds from now, as a venue's retry-after demands; calls keep
   * queueing and go out, within the budget, when the pause ends. A pause that ends sooner than
   * one under way does not shorten it.
   * @throws `ValidationError` when `ms` is negative or not a number
   */
  pauseFor(ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new ValidationError('ms', 'be a number of milliseconds >= 0', ms);
    }
    const until = platformNow() + ms;
    if (this.stopped || until <= this.pausedUntilMs) return;
    this.pausedUntilMs = until;
    this.metrics?.pauses.inc({ limiter: this.name });
    if (this.resume === undefined) {
      this.resumed = new Promise<void>((resolve) => {
        this.resume = resolve;
      });
      // An empty reservoir keeps bottleneck from releasing calls that would only wait again.
      this.enqueue(async () => {
        this.bottleneck.updateSettings({ reservoir: 0 });
      });
    }
    this.cancelPauseTimer?.();
    this.cancelPauseTimer = platformTimer(() => this.endPause(), ms);
  }

  /** The end of the current pause in epoch milliseconds, or 0 when not paused. */
  get pausedUntil(): number {
    return this.isPaused() ? this.pausedUntilMs : 0;
  }

  /** Returns the budget not yet spent in the current window, as far as the limiter knows. */
  remaining(): number {
    this.rollLedger();
    return this.limit - this.spent;
  }

  /** Returns how many calls are waiting to be sent. */
  queued(): number {
    return this.bottleneck.queued();
  }

  /**
   * Stops the limiter: calls still waiting are rejected, calls already sent finish, and the
   * limiter's timers are cleared.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelWindowTimer();
    this.cancelPauseTimer?.();
    const stopping = this.bottleneck.stop({ dropWaitingJobs: true });
    // Calls parked until a pause's end or the next window queue again, and are refused.
    this.resume?.();
    this.resume = undefined;
    this.startNextWindow();
    await stopping;
  }

  private currentWindow(): number {
    return Math.floor(platformNow() / this.intervalMs);
  }

  private rollLedger(): void {
    const window = this.currentWindow();
    if (window !== this.ledgerWindow) {
      this.ledgerWindow = window;
      this.spent = 0;
    }
  }

  private isPaused(): boolean {
    return platformNow() < this.pausedUntilMs;
  }

  private enqueue(operation: () => Promise<void>): void {
    this.operations = this.operations.then(operation).catch(() => {
      // A failed adjustment only affects pacing; the ledger still keeps every window in budget.
    });
  }

  private armWindowTimer(window: number): Promise<void> {
    const started = new Promise<void>((resolve) => {
      this.startNextWindow = resolve;
    });
    const nextBoundary = (window + 1) * this.intervalMs;
    this.cancelWindowTimer = platformTimer(
      () => this.onBoundary(window),
      nextBoundary - platformNow(),
    );
    return started;
  }

  private onBoundary(previous: number): void {
    if (this.stopped) return;
    const window = this.currentWindow();
    // A timer that fires a moment early must not refill the window that is still running.
    if (window === previous) {
      this.cancelWindowTimer = platformTimer(() => this.onBoundary(previous), 1);
      return;
    }
    const wake = this.startNextWindow;
    this.nextWindow = this.armWindowTimer(window);
    this.enqueue(async () => {
      if (this.resume === undefined)
        this.bottleneck.updateSettings({ reservoir: this.remaining() });
    });
    wake();
  }

  private endPause(): void {
    const left = this.pausedUntilMs - platformNow();
    if (left > 0) {
      this.cancelPauseTimer = platformTimer(() => this.endPause(), left);
      return;
    }
    this.cancelPauseTimer = undefined;
    this.enqueue(async () => {
      if (this.stopped) return;
      this.bottleneck.updateSettings({ reservoir: this.remaining() });
      const resume = this.resume;
      this.resume = undefined;
      resume?.();
    });
  }
}
