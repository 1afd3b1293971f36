import { type SeededRandom, ValidationError } from '@qtp/core';

/**
 * How long requests take to reach the simulated matching engine, on the simulated clock.
 * Plain data plus pure functions of a seeded random source, so runs are reproducible.
 */
export interface LatencyModel {
  /** The model's name, such as `fixed`. */
  readonly kind: string;
  /** The model's parameters as plain data, for {@link SimulatedExchange.assumptions}. */
  readonly parameters: Readonly<Record<string, string | number | boolean>>;
  /** One line saying what delays the model applies. */
  readonly description: string;
  /** Returns the delay of one order placement, in milliseconds (0 or more). */
  submitDelayMs(random: SeededRandom): number;
  /** Returns the delay of one cancel request, in milliseconds (0 or more). */
  cancelDelayMs(random: SeededRandom): number;
}

/** Options of {@link fixedLatency}. */
export interface FixedLatencyOptions {
  /** The delay of an order placement, in milliseconds. */
  submitMs: number;
  /** The delay of a cancel request, in milliseconds (default: `submitMs`). */
  cancelMs?: number;
}

/** Options of {@link uniformLatency}. */
export interface UniformLatencyOptions {
  /** The shortest delay, in milliseconds. */
  minMs: number;
  /** The longest delay, in milliseconds. */
  maxMs: number;
}

function checkMs(field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(field, 'be a finite number of milliseconds >= 0', value);
  }
  return value;
}

/**
 * Returns a model in which requests reach the engine at once. The default: with the bar fill
 * model an order still waits for the next bar, so zero latency adds no look-ahead.
 *
 * @example
 * ```ts
 * import { noLatency } from '@qtp/exchange';
 * const latency = noLatency();
 * ```
 */
export function noLatency(): LatencyModel {
  return Object.freeze({
    kind: 'none',
    parameters: Object.freeze({}),
    description: 'latency: none; orders and cancels reach the matching engine at once',
    submitDelayMs: () => 0,
    cancelDelayMs: () => 0,
  });
}

/**
 * Returns a model with a constant delay for placements and for cancels.
 *
 * @throws `ValidationError` when a delay is negative or not finite
 * @example
 * ```ts
 * import { fixedLatency } from '@qtp/exchange';
 * const latency = fixedLatency({ submitMs: 50, cancelMs: 30 });
 * ```
 */
export function fixedLatency(options: FixedLatencyOptions): LatencyModel {
  const submitMs = checkMs('submitMs', options.submitMs);
  const cancelMs = checkMs('cancelMs', options.cancelMs ?? submitMs);
  return Object.freeze({
    kind: 'fixed',
    parameters: Object.freeze({ submitMs, cancelMs }),
    description: `latency: orders reach the matching engine ${submitMs} ms after placement, cancels ${cancelMs} ms after the request`,
    submitDelayMs: () => submitMs,
    cancelDelayMs: () => cancelMs,
  });
}

/**
 * Returns a model whose delays are drawn uniformly from whole milliseconds in
 * `[minMs, maxMs]`, from the exchange's seeded random source.
 *
 * @throws `ValidationError` when a bound is negative or not finite, or `minMs > maxMs`
 * @example
 * ```ts
 * import { uniformLatency } from '@qtp/exchange';
 * const latency = uniformLatency({ minMs: 20, maxMs: 120 });
 * ```
 */
export function uniformLatency(options: UniformLatencyOptions): LatencyModel {
  const minMs = Math.ceil(checkMs('minMs', options.minMs));
  const maxMs = Math.floor(checkMs('maxMs', options.maxMs));
  if (minMs > maxMs) throw new ValidationError('maxMs', `be at least minMs ${minMs}`, maxMs);
  const draw = (random: SeededRandom) => minMs + random.nextInt(maxMs - minMs + 1);
  return Object.freeze({
    kind: 'uniform',
    parameters: Object.freeze({ minMs, maxMs }),
    description: `latency: orders and cancels reach the matching engine after a seeded uniform delay of ${minMs} to ${maxMs} ms`,
    submitDelayMs: draw,
    cancelDelayMs: draw,
  });
}
