import { type Bar, ValidationError } from '@qtp/core';
import type { StrategyInputEvent } from './events.js';
import { assertNotAhead, LookAheadError } from './look-ahead-error.js';
import { deliverBarTimeChecked, deliverTimeChecked, type Strategy } from './strategy.js';
import type { StrategyContext } from './strategy-context.js';

/** Options of {@link StrategyManager}. */
export interface StrategyManagerOptions {
  /** The context every strategy runs in. */
  context: StrategyContext;
}

/**
 * Holds strategies by id, starts and stops them, and delivers market data and order events to
 * the running ones, in the order they were added. A strategy whose hook throws is stopped and
 * reported on the context's publisher as `strategy.failed` (with its id and the error); the
 * others go on.
 *
 * @example
 * ```ts
 * import { createStrategy, createStrategyRegistry, StrategyManager } from '@qtp/strategy';
 * const manager = new StrategyManager({ context });
 * manager.add(createStrategy(createStrategyRegistry(), 'rsi-reversal', { id: 'rsi', params }));
 * manager.startAll();
 * manager.handle(createBarEvent(bar));
 * ```
 */
export class StrategyManager {
  readonly #context: StrategyContext;
  readonly #strategies = new Map<string, Strategy<object>>();
  // The strategies in delivery order, replaced (never changed) when one is added or removed, so
  // a delivery iterates a stable list without copying it for every event.
  #delivery: readonly Strategy<object>[] = [];

  /** Creates an empty manager over `options.context`. */
  constructor(options: StrategyManagerOptions) {
    this.#context = options.context;
  }

  /** The ids of the strategies held, in the order they were added. */
  get ids(): string[] {
    return [...this.#strategies.keys()];
  }

  /**
   * Adds a strategy; it does not start until {@link StrategyManager.start}.
   * @throws {@link @qtp/core!ValidationError} naming `id` when a strategy with its id is already held
   */
  add(strategy: Strategy<object>): void {
    if (this.#strategies.has(strategy.id)) {
      throw new ValidationError('id', 'be unique within the manager', strategy.id);
    }
    this.#strategies.set(strategy.id, strategy);
    this.#delivery = [...this.#strategies.values()];
  }

  /** Returns whether a strategy with this id is held. */
  has(id: string): boolean {
    return this.#strategies.has(id);
  }

  /**
   * Returns the strategy with this id.
   * @throws {@link @qtp/core!ValidationError} naming `id` when none is held
   */
  get(id: string): Strategy<object> {
    const strategy = this.#strategies.get(id);
    if (strategy === undefined) {
      throw new ValidationError('id', 'be the id of a strategy in the manager', id);
    }
    return strategy;
  }

  /**
   * Starts a strategy.
   * @throws {@link @qtp/core!ValidationError} when none has this id, or it is running or has failed
   */
  start(id: string): void {
    this.get(id).start(this.#context);
  }

  /**
   * Stops a strategy; does nothing when it is not running.
   * @throws {@link @qtp/core!ValidationError} when none has this id
   */
  stop(id: string): void {
    this.get(id).stop();
  }

  /**
   * Stops a strategy when running and forgets it.
   * @throws {@link @qtp/core!ValidationError} when none has this id
   */
  remove(id: string): void {
    this.get(id).stop();
    this.#strategies.delete(id);
    this.#delivery = [...this.#strategies.values()];
  }

  /** Starts every strategy that is created or stopped. */
  startAll(): void {
    for (const strategy of this.#strategies.values()) {
      if (strategy.state === 'created' || strategy.state === 'stopped') {
        strategy.start(this.#context);
      }
    }
  }

  /** Stops every running strategy. */
  stopAll(): void {
    for (const strategy of this.#strategies.values()) strategy.stop();
  }

  /**
   * Delivers an event to every running strategy. Each strategy takes only its own orders'
   * updates and fills.
   * @throws {@link LookAheadError} when the event is stamped after the clock's time; no
   * strategy receives it then
   */
  handle(event: StrategyInputEvent): void {
    const context = this.#context;
    assertNotAhead(event, context.clock.now());
    // The list as it stood when delivery began: a strategy removed or added by a hook replaces
    // `#delivery` and does not disturb this loop.
    const delivery = this.#delivery;
    for (let i = 0; i < delivery.length; i++) {
      const strategy = delivery[i]!;
      // Checked against the clock above, for all of them at once.
      if (strategy.state === 'running') deliverTimeChecked(strategy, event, context);
    }
  }

  /**
   * Delivers a bar to every running strategy, as `handle(createBarEvent(bar))` does, without
   * the event: a strategy builds one only when it needs it (to queue the bar while a hook runs,
   * or for the stops and execution algorithms it watches). The bar's close time is checked
   * against the clock once, for all of them.
   * @throws {@link LookAheadError} naming `eventTimeMs` when the bar closes after the clock's
   * time; no strategy receives it then
   * @example
   * ```ts
   * manager.handleBar(bar); // the strategies' indicators and `onBar` see it
   * ```
   */
  handleBar(bar: Bar): void {
    const context = this.#context;
    const nowMs = context.clock.now();
    if (bar.closeTimeMs > nowMs) throw new LookAheadError('eventTimeMs', bar.closeTimeMs, nowMs);
    const delivery = this.#delivery;
    for (let i = 0; i < delivery.length; i++) {
      const strategy = delivery[i]!;
      if (strategy.state === 'running') deliverBarTimeChecked(strategy, bar, context);
    }
  }
}
