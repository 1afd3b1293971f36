import type {
  ClientOrderId,
  Clock,
  EventPublisher,
  Instrument,
  InstrumentId,
  Logger,
  Order,
  OrderAnomalyKind,
  OrderEventFields,
  OrderReport,
  OrderSide,
  OrderStatus,
  OrderView,
  TimerId,
} from '@qtp/core';
import { canTransition, isQtpError, ORDER_ANOMALY_KINDS, type QtpErrorCode } from '@qtp/core';
import { type OmsEvents, orderEvent, orderEventFields, statusTopic } from './events.js';
import type { JournalWriter, OrderRecord } from './order-journal.js';

/** Narrows the orders `OrderManager.orders` and `OrderManager.openOrders` return. */
export interface OrderFilter {
  /** Only orders of this instrument. */
  instrumentId?: InstrumentId;
  /** Only orders on this side. */
  side?: OrderSide;
  /** Only orders carrying this tag, such as a strategy's name. */
  tag?: string;
  /** Only orders whose state is unknown (`true`) or known (`false`). */
  stateUnknown?: boolean;
}

/** The manager's bookkeeping for one order, beside the order's own state machine. */
export interface ManagedOrder {
  readonly order: Order;
  readonly instrument: Instrument;
  /** Set once placeOrder has been called (or may have been, for a recovered order): never again. */
  placed: boolean;
  /** False when the journal must not be written for this order (its id belongs to another). */
  journaled: boolean;
  sentTimeMs: number | undefined;
  unknownSinceMs: number | undefined;
  lookups: number;
  timer: TimerId | undefined;
  /** The timeout of the transient status the order is in (SUBMITTED or PENDING_CANCEL). */
  deadline: TimerId | undefined;
  /** Since when a cancel is pending, in epoch milliseconds. */
  cancelSinceMs: number | undefined;
  /** A terminal report whose fills have not all arrived: applied once they have. */
  parked: OrderReport | undefined;
  /** The filled quantity a report announced before its fill events came. */
  awaitingFills: OrderReport['filledQuantity'] | undefined;
  /** A cancel asked for before the venue acknowledged the order. */
  cancelOnAck: boolean;
}

/** Returns the bookkeeping of a new or reloaded order. */
export function manage(
  order: Order,
  instrument: Instrument,
  state: Partial<Pick<ManagedOrder, 'placed' | 'journaled' | 'sentTimeMs' | 'unknownSinceMs'>>,
): ManagedOrder {
  return {
    order,
    instrument,
    placed: state.placed ?? false,
    journaled: state.journaled ?? true,
    sentTimeMs: state.sentTimeMs,
    unknownSinceMs: state.unknownSinceMs,
    lookups: 0,
    timer: undefined,
    deadline: undefined,
    cancelSinceMs: undefined,
    parked: undefined,
    awaitingFills: undefined,
    cancelOnAck: false,
  };
}

/** What an {@link OrderLedger} writes to and reports through. */
export interface OrderLedgerOptions {
  readonly clock: Clock;
  readonly bus: EventPublisher<OmsEvents> | undefined;
  readonly writer: JournalWriter | undefined;
  readonly logger: Logger;
  /** Called when an order reaches a working status, so a cancel asked for early can go out. */
  readonly onWorking: (entry: ManagedOrder) => void;
}

const WORKING: readonly OrderStatus[] = ['ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED'];

/**
 * The orders of one manager and the side effects of every change to them: the journal write,
 * the event on the bus, and the bookkeeping of which orders are still open.
 */
export class OrderLedger {
  readonly entries = new Map<ClientOrderId, ManagedOrder>();
  readonly open = new Set<ManagedOrder>();
  /** How many anomalies of each kind were published. */
  readonly anomalies = new Map<OrderAnomalyKind, number>(
    ORDER_ANOMALY_KINDS.map((kind) => [kind, 0]),
  );
  /** How many requests were denied before they were sent. */
  denied = 0;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: OrderLedgerOptions) {}

  add(entry: ManagedOrder): void {
    this.entries.set(entry.order.clientOrderId, entry);
    if (!entry.order.isTerminal) this.open.add(entry);
  }

  /** Journals, announces and settles a change of the order's status. */
  changed(entry: ManagedOrder): void {
    this.journal(entry);
    this.announce(entry);
    this.settle(entry);
  }

  reject(entry: ManagedOrder, reason: string): void {
    if (!canTransition(entry.order.status, 'REJECTED')) return;
    entry.order.reject(reason, this.options.clock.now());
    this.changed(entry);
  }

  cancelRefused(entry: ManagedOrder, reason: string): void {
    entry.order.rejectCancel(this.options.clock.now());
    entry.cancelSinceMs = undefined;
    this.clearDeadline(entry);
    this.journal(entry);
    this.publish('order.cancelRejected', {
      type: 'order.cancelRejected',
      ...this.fields(entry),
      reason,
    });
    this.settle(entry);
  }

  /** Publishes the order's status. */
  announce(entry: ManagedOrder): void {
    const { order } = entry;
    if (order.status === 'REJECTED') {
      const event = this.event('order.rejected', entry);
      this.publish('order.rejected', { ...event, reason: order.rejectReason ?? '' });
      return;
    }
    const topic = statusTopic(order.status);
    if (topic !== undefined) this.publish(topic, this.event(topic, entry));
  }

  /** Drops a terminal order from the open set and its timers; lets an early cancel go out. */
  settle(entry: ManagedOrder): void {
    const { order } = entry;
    if (order.isTerminal) {
      this.open.delete(entry);
      this.clearTimer(entry);
      this.clearDeadline(entry);
      entry.cancelSinceMs = undefined;
      entry.parked = undefined;
      entry.awaitingFills = undefined;
      entry.cancelOnAck = false;
      if (entry.unknownSinceMs !== undefined) {
        entry.unknownSinceMs = undefined;
        this.journal(entry);
      }
      return;
    }
    // A timeout belongs to the transient status it was armed in.
    if (
      entry.deadline !== undefined &&
      order.status !== 'SUBMITTED' &&
      order.status !== 'PENDING_CANCEL'
    ) {
      this.clearDeadline(entry);
    }
    if (entry.cancelOnAck && WORKING.includes(order.status)) {
      entry.cancelOnAck = false;
      this.options.onWorking(entry);
    }
  }

  /** Counts, logs and publishes a venue report that was refused or matched no order. */
  anomaly(
    kind: OrderAnomalyKind,
    subject: {
      readonly clientOrderId: ClientOrderId;
      readonly instrumentId: InstrumentId;
      readonly tradeId?: string;
    },
    error: unknown,
  ): void {
    this.anomalies.set(kind, (this.anomalies.get(kind) ?? 0) + 1);
    const errorCode: QtpErrorCode = isQtpError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    this.options.logger.warn('venue report not applied', { kind, ...subject, errorCode, message });
    this.publish('order.anomaly', {
      type: 'order.anomaly',
      kind,
      clientOrderId: subject.clientOrderId,
      instrumentId: subject.instrumentId,
      ...(subject.tradeId === undefined ? {} : { tradeId: subject.tradeId }),
      errorCode,
      message,
      timeMs: this.options.clock.now(),
    });
  }

  clearDeadline(entry: ManagedOrder): void {
    if (entry.deadline === undefined) return;
    this.options.clock.cancel(entry.deadline);
    entry.deadline = undefined;
  }

  clearTimer(entry: ManagedOrder): void {
    if (entry.timer === undefined) return;
    this.options.clock.cancel(entry.timer);
    entry.timer = undefined;
  }

  fields(entry: ManagedOrder): OrderEventFields {
    const now = this.options.clock.now();
    return orderEventFields(entry.order, entry.unknownSinceMs !== undefined, now);
  }

  /** Returns a new, unfrozen event of `type` about the order as it is now. */
  event<T extends string>(type: T, entry: ManagedOrder): OrderEventFields & { type: T } {
    const now = this.options.clock.now();
    return orderEvent(type, entry.order, entry.unknownSinceMs !== undefined, now);
  }

  publish<K extends keyof OmsEvents>(topic: K, payload: OmsEvents[K]): void {
    Object.freeze(payload);
    this.options.bus?.publish(topic, payload);
  }

  /** Starts the journal write of the order's current state; resolves once it is stored. */
  write(entry: ManagedOrder): Promise<void> {
    const writer = this.options.writer;
    if (writer === undefined || !entry.journaled) return Promise.resolve();
    return writer.write(entry.order.clientOrderId, () => this.record(entry));
  }

  /** Journals the order's current state in the background; a failure is logged. */
  journal(entry: ManagedOrder): void {
    if (this.options.writer === undefined || !entry.journaled) return;
    const id = entry.order.clientOrderId;
    this.track(
      this.write(entry).catch((error: unknown) =>
        this.options.logger.error('journal write failed', { err: error, clientOrderId: id }),
      ),
    );
  }

  /** Counts `work` until it settles, for {@link OrderLedger.flush}; it must never reject. */
  track(work: Promise<void>): void {
    this.pending.add(work);
    const done = () => {
      this.pending.delete(work);
    };
    work.then(done, done);
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Runs `action`, logging what it throws: report handlers run inside the gateway's emitter. */
  guard(entry: ManagedOrder, action: () => void): void {
    try {
      action();
    } catch (error) {
      this.failed(entry, error);
    }
  }

  /** Logs what applying a report to the order threw (see {@link OrderLedger.guard}). */
  failed(entry: ManagedOrder, error: unknown): void {
    this.options.logger.error('execution report could not be applied', {
      err: error,
      clientOrderId: entry.order.clientOrderId,
      status: entry.order.status,
    });
  }

  select(entries: Iterable<ManagedOrder>, filter: OrderFilter): OrderView[] {
    const result: OrderView[] = [];
    for (const entry of entries) {
      const { order } = entry;
      if (filter.instrumentId !== undefined && order.instrumentId !== filter.instrumentId) continue;
      if (filter.side !== undefined && order.side !== filter.side) continue;
      if (filter.tag !== undefined && !order.tags.includes(filter.tag)) continue;
      const unknown = entry.unknownSinceMs !== undefined;
      if (filter.stateUnknown !== undefined && unknown !== filter.stateUnknown) continue;
      result.push(order);
    }
    return result;
  }

  private record(entry: ManagedOrder): OrderRecord {
    const { order } = entry;
    return {
      id: order.clientOrderId,
      instrumentId: order.instrumentId,
      status: order.status,
      sentTimeMs: entry.sentTimeMs ?? null,
      unknownSinceMs: entry.unknownSinceMs ?? null,
      order: order.toSnapshot(),
    };
  }
}
