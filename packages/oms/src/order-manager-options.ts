import type {
  BalanceView,
  ClientOrderId,
  Clock,
  EventPublisher,
  IdGenerator,
  Instrument,
  InstrumentId,
  Logger,
  OrderAnomalyKind,
  OrderGateway,
  OrderView,
  PositionView,
  PreTradeGate,
} from '@qtp/core';
import type { OmsEvents } from './events.js';
import type { OrderJournal } from './order-journal.js';

/** Finds an instrument by id: a `Map`, or a provider that loads instruments from the venue. */
export interface InstrumentSource {
  /** Returns the instrument with this id, or `undefined` when there is none. */
  get(id: InstrumentId): Instrument | undefined;
}

/** Where the order manager finds instruments: a list of them, or an {@link InstrumentSource}. */
export type InstrumentLookup = readonly Instrument[] | InstrumentSource;

/** Options of `OrderManager`. */
export interface OrderManagerOptions {
  /** The venue orders go to and whose execution reports advance them. */
  gateway: OrderGateway;
  /** The instruments orders may trade, with their rules. */
  instruments: InstrumentLookup;
  /** The clock of order times and of lookup timers; a `SimulatedClock` in backtests. */
  clock: Clock;
  /** Where order events go, usually the engine's `EventBus` (default: nowhere). */
  bus?: EventPublisher<OmsEvents>;
  /** Makes client order ids for requests without one (default a `RandomIdGenerator`). */
  idGenerator?: IdGenerator;
  /** Approves or refuses each request (default `approveAllGate`). */
  preTradeGate?: PreTradeGate;
  /** The positions the pre-trade gate sees in its context (default none). */
  positions?: PositionView;
  /** The account balances the pre-trade gate sees in its context (default none). */
  balances?: BalanceView;
  /**
   * The order journal (default none: nothing is journaled and `OrderManager.recover` has
   * nothing to read). With a journal, an order is sent once its first record is stored.
   */
  journal?: OrderJournal;
  /** Where failures inside report handling are logged (default `createConsoleLogger` at `warn`). */
  logger?: Logger;
  /** The delay before the first lookup of an order whose state is unknown, in ms (default 1 000). */
  lookupDelayMs?: number;
  /** The longest delay between lookups, which double from `lookupDelayMs`, in ms (default 30 000). */
  maxLookupDelayMs?: number;
  /**
   * How long after sending an order the venue may still not know it, in ms (default 10 000):
   * a lookup that finds nothing after this window rejects the order. Keep it above the venue's
   * own receive window (Binance's `recvWindow`, 5 000 by default), after which the venue refuses
   * a late request.
   */
  acknowledgementWindowMs?: number;
  /**
   * How long to wait for fills the venue reported in a status but whose fill events have not
   * arrived, before looking the order up and booking what is missing, in ms (default 5 000).
   */
  fillWaitMs?: number;
  /**
   * How long a placement may go unanswered before the order is treated as unknown and looked
   * up, in ms (default 10 000).
   */
  submitTimeoutMs?: number;
  /**
   * How long a cancel may stay pending before the order is looked up, in ms (default 10 000):
   * the venue's CANCELED is applied if it was lost; an order the venue still reports working
   * returns to its working status with an `order.cancelRejected`.
   */
  cancelTimeoutMs?: number;
  /**
   * How often every open and in-flight order is reconciled with the venue on the clock, in ms
   * (default none: only on `OrderManager.reconcile` and the per-status timeouts). A live
   * engine sets it to catch fills and status changes the execution stream lost.
   */
  reconcileIntervalMs?: number;
}

/** What `OrderManager.reconcile` found. */
export interface ReconcileResult {
  /** How many open orders were looked up. */
  readonly checked: number;
  /** The orders whose state is still unknown afterwards; they are looked up again on the clock. */
  readonly unknown: readonly ClientOrderId[];
}

/** The counters of an `OrderManager`, from `OrderManager.stats`. */
export interface OrderManagerStats {
  /** How many `order.anomaly` events of each kind were published. */
  readonly anomalies: Readonly<Record<OrderAnomalyKind, number>>;
  /** How many `order.denied` events were published. */
  readonly denied: number;
}

/** A cancel that failed, in a {@link CancelAllResult}. */
export interface CancelFailure {
  /** The order whose cancel failed. */
  readonly clientOrderId: ClientOrderId;
  /** What the gateway threw. */
  readonly error: unknown;
}

/** What `OrderManager.cancelAll` did. */
export interface CancelAllResult {
  /** The orders whose cancel was sent, or recorded to send on acknowledgement, or done locally. */
  readonly requested: readonly ClientOrderId[];
  /** The orders whose cancel failed, with the error. */
  readonly failed: readonly CancelFailure[];
}

/** A journal record `OrderManager.recover` could not read back. */
export interface UnreadableRecord {
  /** The record's id, the client order id. */
  readonly id: string;
  /** Why: a malformed snapshot, or an instrument the manager was not given. */
  readonly error: unknown;
}

/** What `OrderManager.recover` found in the journal. */
export interface RecoveryResult {
  /** The open orders reloaded, as they stand after reconciliation with the venue. */
  readonly recovered: readonly OrderView[];
  /** Those whose state is still unknown; they are looked up again on the clock. */
  readonly unknown: readonly ClientOrderId[];
  /** Journal records that could not be read back, with the error. */
  readonly unreadable: readonly UnreadableRecord[];
}
