import {
  type EventPublisher,
  TRADING_STATE_TOPIC,
  TRADING_STATES,
  type TradingState,
  type TradingStateChangedEvent,
  type TradingStateScope,
  ValidationError,
} from '@qtp/core';

/** The events a {@link TradingStateBook} publishes: one topic, `risk.state`. */
export interface TradingStateEvents {
  /** A scope's trading state changed. */
  'risk.state': TradingStateChangedEvent;
}

/** What a {@link TradingStateBook} holds for one scope. */
export interface TradingStateEntry {
  /** The scope. */
  readonly scope: TradingStateScope;
  /** The state now. */
  readonly state: TradingState;
  /** Who or what set it. */
  readonly setBy: string;
  /** Why. */
  readonly reason: string;
  /** When it was set, epoch milliseconds. */
  readonly sinceMs: number;
}

/**
 * Returns how restricted a state is: 0 for `ACTIVE` up to 4 for `HALTED`, in the order of
 * `TRADING_STATES`.
 *
 * @example
 * ```ts
 * import { severityOf } from '@qtp/risk';
 * severityOf('REDUCE_ONLY') > severityOf('HALT_ENTRIES'); // true
 * ```
 */
export function severityOf(state: TradingState): number {
  return TRADING_STATES.indexOf(state);
}

/** Returns the key a scope is filed under, such as `strategy:sma`. */
export function scopeKey(scope: TradingStateScope): string {
  return `${scope.kind}:${scope.id}`;
}

/**
 * The trading states of an account and, where set, of its strategies and instruments. A scope
 * never set is `ACTIVE`. Every change is published on `risk.state` with who set it and why; a
 * call that would leave the state as it is publishes nothing.
 *
 * Rules escalate only: {@link TradingStateBook.trip} moves a scope to a more restricted state and
 * never loosens one. An operator moves a scope to any state with {@link TradingStateBook.set} and
 * back to `ACTIVE` with {@link TradingStateBook.reset}.
 *
 * @example
 * ```ts
 * import { EventBus } from '@qtp/core';
 * import { TradingStateBook } from '@qtp/risk';
 * const bus = new EventBus();
 * const book = new TradingStateBook({ publisher: bus, now: () => 0 });
 * book.trip({ kind: 'account', id: 'main' }, 'HALT_ENTRIES', 'rule:dailyLoss', 'daily loss 510 above 500');
 * book.stateOf({ kind: 'account', id: 'main' }); // 'HALT_ENTRIES'
 * ```
 */
export class TradingStateBook {
  readonly #entries = new Map<string, TradingStateEntry>();
  readonly #publisher: EventPublisher<TradingStateEvents> | undefined;
  readonly #now: () => number;
  // Whether any scope is not ACTIVE: the gate's fast path skips the lookups when none is.
  #restricted = 0;

  /**
   * Creates a book in which every scope is `ACTIVE`.
   * @param options.publisher - where changes go (default nowhere)
   * @param options.now - the time of a change, epoch milliseconds (the risk engine's clock)
   */
  constructor(options: {
    readonly publisher?: EventPublisher<TradingStateEvents>;
    readonly now: () => number;
  }) {
    this.#publisher = options.publisher;
    this.#now = options.now;
  }

  /** Whether every scope is `ACTIVE`. */
  get allActive(): boolean {
    return this.#restricted === 0;
  }

  /** Returns the state of a scope, `ACTIVE` when it was never set. */
  stateOf(scope: TradingStateScope): TradingState {
    return this.#entries.get(scopeKey(scope))?.state ?? 'ACTIVE';
  }

  /** Returns the state filed under a {@link scopeKey}, `ACTIVE` when there is none. */
  stateAt(key: string): TradingState {
    return this.#entries.get(key)?.state ?? 'ACTIVE';
  }

  /** Returns the entry of a scope, or `undefined` when it was never set. */
  entryOf(scope: TradingStateScope): TradingStateEntry | undefined {
    return this.#entries.get(scopeKey(scope));
  }

  /** Returns every scope that is not `ACTIVE`. */
  restricted(): TradingStateEntry[] {
    return [...this.#entries.values()].filter((entry) => entry.state !== 'ACTIVE');
  }

  /**
   * Moves a scope to `state` when that is more restricted than its state now; returns whether it
   * moved.
   */
  trip(scope: TradingStateScope, state: TradingState, setBy: string, reason: string): boolean {
    if (severityOf(state) <= severityOf(this.stateOf(scope))) return false;
    return this.set(scope, state, setBy, reason);
  }

  /**
   * Moves a scope to any state; returns whether it changed.
   * @throws `ValidationError` naming `setBy` or `state` when either is not valid
   */
  set(scope: TradingStateScope, state: TradingState, setBy: string, reason: string): boolean {
    if (typeof setBy !== 'string' || setBy === '') {
      throw new ValidationError('setBy', 'be a non-empty string', setBy);
    }
    if (!TRADING_STATES.includes(state)) {
      throw new ValidationError('state', `be one of ${TRADING_STATES.join(', ')}`, state);
    }
    const key = scopeKey(scope);
    const from = this.#entries.get(key)?.state ?? 'ACTIVE';
    if (from === state) return false;
    const timeMs = this.#now();
    const frozenScope = Object.freeze({ kind: scope.kind, id: scope.id });
    this.#entries.set(
      key,
      Object.freeze({ scope: frozenScope, state, setBy, reason, sinceMs: timeMs }),
    );
    this.#restricted += (state === 'ACTIVE' ? 0 : 1) - (from === 'ACTIVE' ? 0 : 1);
    const event: TradingStateChangedEvent = Object.freeze({
      type: 'risk.state',
      scope: frozenScope,
      from,
      to: state,
      setBy,
      reason,
      timeMs,
    });
    this.#publisher?.publish(TRADING_STATE_TOPIC, event);
    return true;
  }

  /**
   * Moves a scope back to `ACTIVE`; returns whether it changed.
   * @throws `ValidationError` naming `reason` when it is empty: a reset says why
   */
  reset(scope: TradingStateScope, setBy: string, reason: string): boolean {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new ValidationError('reason', 'be a non-empty sentence saying why', reason);
    }
    return this.set(scope, 'ACTIVE', setBy, reason);
  }
}
