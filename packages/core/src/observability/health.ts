import type { Clock } from '@qtp/core';
import { ValidationError } from '@qtp/core';
import { TaskCancelledError, TimeoutStrategy, timeout } from 'cockatiel';
import { platformNow } from '../resilience/platform.js';
import { redactSecrets, redactSecretsInText } from './redact.js';

/** The health of a check or of the whole process. `DEGRADED` still serves, with a fault. */
export type HealthStatus = 'UP' | 'DEGRADED' | 'DOWN';

/**
 * Which probe a check belongs to. `liveness`: is the process working at all (restart it if not).
 * `readiness`: can it take traffic now (venues connected, config loaded); every liveness check
 * also counts for readiness.
 */
export type HealthCheckKind = 'liveness' | 'readiness';

/** What a check returns: a status, or a status with details. Returning nothing means `UP`. */
export type HealthCheckOutcome = HealthStatus | HealthCheckResult;

/** A check's status with details for the report, such as a latency or a lag. */
export interface HealthCheckResult {
  /** The check's status. */
  readonly status: HealthStatus;
  /** Details for the report; secrets in them are redacted. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A named health check. */
export interface HealthCheck {
  /** A unique name, for example `binance-rest` or `postgres`. */
  readonly name: string;
  /** The probe the check belongs to (default `readiness`). */
  readonly kind?: HealthCheckKind;
  /** How long the check may take before it counts as `DOWN`, in milliseconds (default the registry's). */
  readonly timeoutMs?: number;
  /**
   * Whether a `DOWN` result takes the whole report `DOWN` (default true). A non-critical check
   * that is `DOWN` makes the report `DEGRADED`.
   */
  readonly critical?: boolean;
  /**
   * Runs the check. `signal` aborts when the check times out. A thrown error or a rejection
   * counts as `DOWN`, with the error's message in the report.
   */
  // `void` lets `async () => { await ping(); }` serve as a check that passes when it returns.
  // biome-ignore lint/suspicious/noConfusingVoidType: a check that returns nothing is UP
  check(signal: AbortSignal): Promise<HealthCheckOutcome | void> | HealthCheckOutcome | void;
}

/** The result of one check in a {@link HealthReport}. */
export interface HealthCheckReport {
  /** The check's name. */
  readonly name: string;
  /** The check's probe. */
  readonly kind: HealthCheckKind;
  /** The check's status. */
  readonly status: HealthStatus;
  /** Whether the check is critical. */
  readonly critical: boolean;
  /** How long the check took, in milliseconds. */
  readonly durationMs: number;
  /** Details the check returned, with secrets redacted. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Why the check failed: its error's message (redacted) or the timeout. */
  readonly error?: string;
}

/** The aggregated result of a set of checks. */
export interface HealthReport {
  /** `DOWN` if a critical check is down; `DEGRADED` if any other check is not up; else `UP`. */
  readonly status: HealthStatus;
  /** When the checks started, in epoch milliseconds. */
  readonly timestampMs: number;
  /** Each check's result, in registration order. */
  readonly checks: readonly HealthCheckReport[];
}

/** Options of {@link HealthRegistry}. */
export interface HealthRegistryOptions {
  /** Time limit of a check that sets none, in milliseconds (default 5000). */
  defaultTimeoutMs?: number;
  /** The source of timestamps and durations (default the system time). */
  clock?: Pick<Clock, 'now'>;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Named liveness and readiness checks, run together, each under its own time limit, and
 * aggregated to `UP`, `DEGRADED` or `DOWN`. Serve it over HTTP with
 * {@link createObservabilityServer}.
 *
 * @example
 * ```ts
 * import { HealthRegistry } from '@qtp/core';
 * const health = new HealthRegistry();
 * health.register({ name: 'event-loop', kind: 'liveness', check: () => 'UP' });
 * health.register({
 *   name: 'binance-rest',
 *   timeoutMs: 2_000,
 *   check: async (signal) => ((await fetch('https://api.binance.com/api/v3/ping', { signal })).ok ? 'UP' : 'DOWN'),
 * });
 * const report = await health.run('readiness'); // { status: 'UP', checks: [...] }
 * ```
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly defaultTimeoutMs: number;
  private readonly now: () => number;

  /** Creates a registry with no checks. */
  constructor(options: HealthRegistryOptions = {}) {
    this.defaultTimeoutMs = checkTimeout(
      'defaultTimeoutMs',
      options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const clock = options.clock;
    this.now = clock === undefined ? platformNow : () => clock.now();
  }

  /**
   * Adds a check and returns a function that removes it again.
   * @throws `ValidationError` when the name is empty or taken, or the timeout is not positive
   */
  register(check: HealthCheck): () => void {
    if (typeof check.name !== 'string' || check.name === '') {
      throw new ValidationError('name', 'be a non-empty string', check.name);
    }
    if (this.checks.has(check.name))
      throw new ValidationError('name', 'be unique in the health registry', check.name);
    if (check.timeoutMs !== undefined) checkTimeout('timeoutMs', check.timeoutMs);
    this.checks.set(check.name, check);
    return () => {
      if (this.checks.get(check.name) === check) this.checks.delete(check.name);
    };
  }

  /** Returns the names of the registered checks, in registration order. */
  names(): string[] {
    return [...this.checks.keys()];
  }

  /**
   * Runs the checks of one probe (liveness checks only for `liveness`; liveness and readiness
   * checks for `readiness`), or every check when `kind` is omitted, concurrently, and returns
   * the aggregated report. Never rejects: a failing check is reported, not thrown.
   */
  async run(kind?: HealthCheckKind): Promise<HealthReport> {
    const timestampMs = this.now();
    const selected = [...this.checks.values()].filter((check) => {
      const own = check.kind ?? 'readiness';
      return kind === undefined || kind === 'readiness' || own === 'liveness';
    });
    const checks = await Promise.all(selected.map((check) => this.runOne(check)));
    return { status: aggregate(checks), timestampMs, checks };
  }

  private async runOne(check: HealthCheck): Promise<HealthCheckReport> {
    const timeoutMs = check.timeoutMs ?? this.defaultTimeoutMs;
    const base = {
      name: check.name,
      kind: check.kind ?? 'readiness',
      critical: check.critical ?? true,
    } as const;
    const startedMs = this.now();
    try {
      // cockatiel's aggressive timeout settles at the limit even when the check ignores `signal`.
      const policy = timeout(timeoutMs, {
        strategy: TimeoutStrategy.Aggressive,
        abortOnReturn: true,
      });
      const outcome = await policy.execute((context) => check.check(context.signal));
      const { status, details } = normalize(outcome);
      return {
        ...base,
        status,
        durationMs: this.now() - startedMs,
        ...(details === undefined
          ? {}
          : { details: redactSecrets(details) as Record<string, unknown> }),
      };
    } catch (error) {
      // cockatiel 3.2's isTaskCancelledError tests for the bulkhead's marker, so check the class.
      const timedOut = error instanceof TaskCancelledError;
      const message = timedOut
        ? `timed out after ${timeoutMs} ms`
        : redactSecretsInText(error instanceof Error ? error.message : String(error));
      return { ...base, status: 'DOWN', durationMs: this.now() - startedMs, error: message };
    }
  }
}

// biome-ignore lint/suspicious/noConfusingVoidType: mirrors the return type of HealthCheck.check
function normalize(outcome: HealthCheckOutcome | void): {
  status: HealthStatus;
  details: Readonly<Record<string, unknown>> | undefined;
} {
  if (outcome === undefined) return { status: 'UP', details: undefined };
  if (typeof outcome === 'string') return { status: checkStatus(outcome), details: undefined };
  return { status: checkStatus(outcome.status), details: outcome.details };
}

function checkStatus(status: unknown): HealthStatus {
  if (status === 'UP' || status === 'DEGRADED' || status === 'DOWN') return status;
  throw new ValidationError('status', 'be UP, DEGRADED or DOWN', status);
}

function aggregate(checks: readonly HealthCheckReport[]): HealthStatus {
  if (checks.some((check) => check.status === 'DOWN' && check.critical)) return 'DOWN';
  if (checks.some((check) => check.status !== 'UP')) return 'DEGRADED';
  return 'UP';
}

function checkTimeout(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValidationError(field, 'be a positive number of milliseconds', value);
  }
  return value;
}
