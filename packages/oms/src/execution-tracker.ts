import {
  type Clock,
  canTransition,
  compareDecimals,
  type ExecutionFillEvent,
  type ExecutionOrderUpdateEvent,
  type Fill,
  formatDecimal,
  isQtpError,
  type Logger,
  type OrderAck,
  type OrderEventFields,
  type OrderGateway,
  type OrderRef,
  type OrderReport,
  type OrderStatus,
  ValidationError,
} from '@qtp/core';
import type { OmsEvents } from './events.js';
import type { ManagedOrder, OrderLedger } from './order-ledger.js';
import { classifyPlacementFailure, lookupDelayMs, messageOf } from './reconcile.js';

/** The timing of lookups, in milliseconds; see `OrderManagerOptions`. */
export interface LookupTiming {
  readonly lookupDelayMs: number;
  readonly maxLookupDelayMs: number;
  readonly acknowledgementWindowMs: number;
  readonly fillWaitMs: number;
  readonly submitTimeoutMs: number;
  readonly cancelTimeoutMs: number;
}

const WORKING: readonly OrderStatus[] = ['ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED'];

/**
 * Advances orders from what the venue says: placement answers, the execution stream
 * (duplicates and reorders included) and lookups, which resolve unknown outcomes, fetch fills
 * the stream lost and reconcile orders after a restart.
 */
export class ExecutionTracker {
  private attached = false;

  constructor(
    private readonly ledger: OrderLedger,
    private readonly gateway: OrderGateway,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timing: LookupTiming,
  ) {}

  attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.gateway.executions.on('orderUpdate', this.onOrderUpdate);
    this.gateway.executions.on('fill', this.onFill);
  }

  detach(): void {
    this.attached = false;
    this.gateway.executions.off('orderUpdate', this.onOrderUpdate);
    this.gateway.executions.off('fill', this.onFill);
  }

  /** Calls placeOrder for a SUBMITTED order and applies the answer when it comes. */
  place(entry: ManagedOrder): void {
    let placing: Promise<OrderAck>;
    try {
      placing = this.gateway.placeOrder(entry.order.toRequest());
    } catch (error) {
      placing = Promise.reject(error);
    }
    placing.then(
      (ack) => {
        try {
          this.onAck(entry, ack);
        } catch (error) {
          this.ledger.failed(entry, error);
        }
      },
      (error: unknown) => this.ledger.guard(entry, () => this.onPlaceFailed(entry, error)),
    );
  }

  /**
   * Looks the order up now; the lookup's outcome is applied like any report. When the venue
   * reports more filled than is booked, its fills are fetched and booked by trade id.
   */
  async lookup(entry: ManagedOrder): Promise<OrderReport | undefined> {
    const { order } = entry;
    if (order.isTerminal || !this.attached) return undefined;
    entry.lookups += 1;
    const ref: OrderRef = { instrumentId: order.instrumentId, clientOrderId: order.clientOrderId };
    let report: OrderReport;
    try {
      report = await this.gateway.fetchOrder(ref);
    } catch (error) {
      this.ledger.guard(entry, () => this.lookupFailed(entry, error));
      return undefined;
    }
    let fills: readonly Fill[] | undefined = [];
    if (report.filledQuantity.gt(order.filledQuantity)) {
      try {
        fills = await this.gateway.fetchOrderFills(ref);
      } catch (error) {
        // The status still applies; the missing fills are asked for again later.
        this.logger.warn('order fills lookup failed; trying again', {
          err: error,
          clientOrderId: order.clientOrderId,
        });
        fills = undefined;
      }
    }
    this.ledger.guard(entry, () => this.applyReport(entry, report, fills));
    return report;
  }

  /**
   * Reconciles an order with what the venue knows of it: after a restart, on the reconcile
   * timer or when a transient status timed out. A cancel pending for `cancelTimeoutMs` (or
   * since before a restart) whose order the venue still reports working went nowhere: the order
   * returns to its working status with a `order.cancelRejected`.
   */
  async reconcile(entry: ManagedOrder, recovered = false): Promise<void> {
    const { order } = entry;
    if (order.isTerminal) return;
    // Its placement is still being decided by its own journal write.
    if (order.status === 'INITIALIZED' && !entry.placed) return;
    this.ledger.clearTimer(entry);
    const report = await this.lookup(entry);
    if (
      report === undefined ||
      order.status !== 'PENDING_CANCEL' ||
      !WORKING.includes(report.status)
    ) {
      if (order.status === 'PENDING_CANCEL') this.armCancelDeadline(entry);
      return;
    }
    const pendingMs = this.clock.now() - (entry.cancelSinceMs ?? Number.NEGATIVE_INFINITY);
    if (recovered) {
      this.ledger.guard(entry, () =>
        this.ledger.cancelRefused(entry, 'the cancel did not reach the venue before the restart'),
      );
    } else if (pendingMs >= this.timing.cancelTimeoutMs) {
      this.ledger.guard(entry, () =>
        this.ledger.cancelRefused(
          entry,
          `the venue did not cancel the order within ${this.timing.cancelTimeoutMs} ms`,
        ),
      );
    } else {
      this.armCancelDeadline(entry);
    }
  }

  /** Marks an order unknown and looks it up when its placement is not answered in time. */
  armSubmitDeadline(entry: ManagedOrder): void {
    this.ledger.clearDeadline(entry);
    const timeoutMs = this.timing.submitTimeoutMs;
    entry.deadline = this.clock.setTimeout(() => {
      entry.deadline = undefined;
      if (entry.order.status !== 'SUBMITTED' || entry.unknownSinceMs !== undefined) return;
      this.ledger.guard(entry, () =>
        this.markUnknown(entry, `no answer to the placement within ${timeoutMs} ms`),
      );
    }, timeoutMs);
  }

  /** Reconciles an order whose cancel is still pending when its timeout has passed. */
  armCancelDeadline(entry: ManagedOrder): void {
    if (!this.attached) return;
    this.ledger.clearDeadline(entry);
    const since = entry.cancelSinceMs ?? this.clock.now();
    const remainingMs = since + this.timing.cancelTimeoutMs - this.clock.now();
    // Past its timeout (a lookup failed): ask again with the lookup backoff.
    const delayMs = remainingMs > 0 ? remainingMs : this.backoff(entry);
    entry.deadline = this.clock.setTimeout(() => {
      entry.deadline = undefined;
      if (entry.order.status !== 'PENDING_CANCEL') return;
      this.ledger.track(this.reconcile(entry));
    }, delayMs);
  }

  markUnknown(entry: ManagedOrder, reason: string): void {
    if (entry.unknownSinceMs === undefined) {
      entry.unknownSinceMs = this.clock.now();
      this.ledger.journal(entry);
      this.ledger.publish('order.stateUnknown', {
        type: 'order.stateUnknown',
        ...this.ledger.fields(entry),
        reason,
      });
    }
    this.scheduleLookup(entry, this.backoff(entry));
  }

  scheduleLookup(entry: ManagedOrder, delayMs: number): void {
    if (entry.timer !== undefined || entry.order.isTerminal || !this.attached) return;
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      this.ledger.track(this.lookup(entry).then(() => undefined));
    }, delayMs);
  }

  /**
   * Looks the order up once its reports are overdue. Never sooner: a lookup books the fills it
   * finds missing, and the stream may still be delivering them, fees included.
   */
  awaitReports(entry: ManagedOrder): void {
    this.scheduleLookup(entry, this.timing.fillWaitMs);
  }

  private backoff(entry: ManagedOrder): number {
    const { lookupDelayMs: initial, maxLookupDelayMs: max } = this.timing;
    return lookupDelayMs(entry.lookups, initial, max);
  }

  private readonly onOrderUpdate = (event: ExecutionOrderUpdateEvent): void => {
    const { report } = event;
    const entry = this.ledger.entries.get(report.clientOrderId);
    if (entry === undefined || entry.order.instrumentId !== report.instrumentId) return;
    // try/catch in place of `guard`: no closure per report on the stream.
    try {
      const problem = reportProblem(entry, report);
      if (problem !== undefined) {
        this.refuse(entry, 'MALFORMED_REPORT', problem);
        return;
      }
      this.applyReport(entry, report, undefined);
    } catch (error) {
      this.ledger.failed(entry, error);
    }
  };

  private readonly onFill = (event: ExecutionFillEvent): void => {
    const { fill } = event;
    const entry = this.ledger.entries.get(fill.clientOrderId);
    if (entry === undefined || entry.order.instrumentId !== fill.instrumentId) {
      this.ledger.anomaly(
        'UNKNOWN_ORDER_FILL',
        fill,
        new ValidationError('clientOrderId', 'name an order of this manager', fill.clientOrderId),
      );
      return;
    }
    try {
      // Only a fill that was booked (or seen before, alike) proves the venue has the order.
      if (this.book(entry, fill) !== 'refused') this.markKnown(entry);
    } catch (error) {
      this.ledger.failed(entry, error);
    }
  };

  /** Publishes an anomaly for a refused report and looks the order up instead. */
  private refuse(
    entry: ManagedOrder,
    kind: 'MALFORMED_REPORT' | 'TRADE_ID_CONFLICT',
    error: unknown,
    tradeId?: string,
  ): void {
    const { clientOrderId, instrumentId } = entry.order;
    this.ledger.anomaly(
      kind,
      tradeId === undefined
        ? { clientOrderId, instrumentId }
        : { clientOrderId, instrumentId, tradeId },
      error,
    );
    if (kind === 'MALFORMED_REPORT') this.scheduleLookup(entry, this.backoff(entry));
  }

  private onAck(entry: ManagedOrder, ack: OrderAck): void {
    const { order } = entry;
    if (ack.clientOrderId !== order.clientOrderId) {
      this.logger.warn('acknowledgement for another order ignored', {
        clientOrderId: order.clientOrderId,
        ackClientOrderId: ack.clientOrderId,
      });
      return;
    }
    this.markKnown(entry);
    if (ack.status === 'REJECTED') {
      this.ledger.reject(entry, 'rejected by the venue on acknowledgement');
      return;
    }
    this.acceptIfSubmitted(entry, ack.venueOrderId, ack.timeMs);
    // An acknowledgement says where the order went but not what filled: ask when it went further.
    if (ack.status !== 'ACCEPTED' && ack.status !== 'SUBMITTED' && !order.isTerminal) {
      this.awaitReports(entry);
    }
    this.ledger.settle(entry);
  }

  private onPlaceFailed(entry: ManagedOrder, error: unknown): void {
    // The venue's reports may have settled the order before the placement call returned.
    if (entry.order.status !== 'SUBMITTED') return;
    if (classifyPlacementFailure(error) === 'rejected') {
      this.ledger.reject(entry, messageOf(error));
      return;
    }
    this.markUnknown(entry, messageOf(error));
  }

  /**
   * Books a fill once, by its trade id. A trade id seen before is a duplicate when its terms
   * agree and a `TRADE_ID_CONFLICT` when they do not; a fill the order cannot take (another
   * side, more than the remaining quantity, a terminal order) is refused as `MALFORMED_REPORT`.
   */
  private book(entry: ManagedOrder, fill: Fill): 'booked' | 'duplicate' | 'refused' {
    const { order } = entry;
    const seen = order.fillOf(fill.tradeId);
    if (seen !== undefined) {
      if (!seen.quantity.eq(fill.quantity) || !seen.price.eq(fill.price)) {
        const error = new ValidationError(
          'quantity',
          `repeat the booked trade ${fill.tradeId} (${formatDecimal(seen.quantity)} at ${formatDecimal(seen.price)})`,
          `${formatDecimal(fill.quantity)} at ${formatDecimal(fill.price)}`,
        );
        this.refuse(entry, 'TRADE_ID_CONFLICT', error, fill.tradeId);
        return 'refused';
      }
      return 'duplicate';
    }
    if (order.isTerminal) {
      const error = new ValidationError(
        'tradeId',
        `not fill a ${order.status} order`,
        fill.tradeId,
      );
      this.refuse(entry, 'MALFORMED_REPORT', error, fill.tradeId);
      return 'refused';
    }
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    try {
      order.applyFill(fill);
    } catch (error) {
      this.refuse(entry, 'MALFORMED_REPORT', error, fill.tradeId);
      return 'refused';
    }
    this.ledger.journal(entry);
    // Built as one object each: the fill's event and that of the status it led to.
    const event: OrderEventFields & { type: 'order.fill'; fill?: Fill } = this.ledger.event(
      'order.fill',
      entry,
    );
    event.fill = fill;
    this.ledger.publish('order.fill', event as OmsEvents['order.fill']);
    this.ledger.announce(entry);
    const parked = entry.parked;
    if (parked !== undefined && order.filledQuantity.gte(parked.filledQuantity)) {
      entry.parked = undefined;
      this.applyReport(entry, parked, undefined);
    }
    // Reaching the quantity a report announced does not prove its fills arrived (another fill
    // may have made it up), so the lookup it scheduled still runs and compares with the venue.
    const awaited = entry.awaitingFills;
    if (awaited !== undefined && order.filledQuantity.gte(awaited)) entry.awaitingFills = undefined;
    this.ledger.settle(entry);
    return 'booked';
  }

  /**
   * Applies what the venue says of an order. A status moves the state machine and never the
   * position: fills are booked only from fills with a trade id. From the stream (`fills`
   * undefined) they are left to their own events and a terminal status waits for them; from a
   * lookup, the fills the venue returned are booked first, duplicates skipped by trade id.
   */
  private applyReport(
    entry: ManagedOrder,
    report: OrderReport,
    fills: readonly Fill[] | undefined,
  ): void {
    const { order } = entry;
    this.markKnown(entry);
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    if (order.isTerminal) {
      if (report.status !== order.status) {
        this.logger.warn('report for a terminal order ignored', {
          clientOrderId: order.clientOrderId,
          status: order.status,
          reported: report.status,
        });
      }
      return;
    }
    const { status, venueOrderId, timeMs } = report;
    if (status === 'REJECTED') {
      if (canTransition(order.status, 'REJECTED')) {
        order.reject(report.rejectReason ?? 'rejected by the venue', timeMs);
        this.ledger.changed(entry);
      }
      return;
    }
    if (status === 'SUBMITTED' || status === 'INITIALIZED') return;
    this.acceptIfSubmitted(entry, venueOrderId, timeMs);
    if (fills !== undefined) {
      for (const fill of fills) {
        if (order.isTerminal) break;
        this.book(entry, fill);
      }
      if (order.isTerminal) return;
    }
    const missing = compareDecimals(report.filledQuantity, order.filledQuantity) > 0;
    if (status === 'TRIGGERED' && order.status === 'ACCEPTED' && order.triggerPrice !== undefined) {
      order.trigger(timeMs);
      this.ledger.changed(entry);
    } else if ((status === 'CANCELED' || status === 'EXPIRED') && !order.isTerminal) {
      if (missing) {
        entry.parked = report;
      } else if (canTransition(order.status, status)) {
        if (status === 'CANCELED') order.cancel(timeMs);
        else order.expire(timeMs);
        this.ledger.changed(entry);
      }
    }
    if (missing && !order.isTerminal) {
      if (fills !== undefined) {
        const error = new ValidationError(
          'filledQuantity',
          `be covered by the venue's fills, which add up to ${formatDecimal(order.filledQuantity)}`,
          formatDecimal(report.filledQuantity),
        );
        const { clientOrderId, instrumentId } = order;
        this.ledger.anomaly('FILLS_UNAVAILABLE', { clientOrderId, instrumentId }, error);
      }
      entry.awaitingFills = report.filledQuantity;
      this.awaitReports(entry);
    }
    this.ledger.settle(entry);
  }

  private acceptIfSubmitted(entry: ManagedOrder, venueOrderId: string, timeMs: number): void {
    if (entry.order.status !== 'SUBMITTED') return;
    entry.order.accept(venueOrderId, timeMs);
    this.ledger.changed(entry);
  }

  // A recovered order journaled before it was marked sent, now proven (or presumed) sent.
  private submitRecovered(entry: ManagedOrder): void {
    const now = this.clock.now();
    entry.order.submit(now);
    entry.placed = true;
    entry.sentTimeMs ??= now;
    this.ledger.changed(entry);
  }

  private markKnown(entry: ManagedOrder): void {
    if (entry.unknownSinceMs === undefined) return;
    entry.unknownSinceMs = undefined;
    entry.lookups = 0;
    this.ledger.clearTimer(entry);
    this.ledger.journal(entry);
  }

  private lookupFailed(entry: ManagedOrder, error: unknown): void {
    const { order } = entry;
    if (order.isTerminal) return;
    const notFound = isQtpError(error, 'ORDER_NOT_FOUND');
    const windowMs = this.timing.acknowledgementWindowMs;
    const sentMs = entry.sentTimeMs ?? order.createdTimeMs;
    if (
      notFound &&
      this.clock.now() - sentMs >= windowMs &&
      canTransition(order.status, 'REJECTED')
    ) {
      this.ledger.reject(
        entry,
        `the venue does not know the order ${windowMs} ms after it was sent`,
      );
      return;
    }
    // Not found yet, or no answer: the order may be at the venue, so it counts as sent.
    if (order.status === 'INITIALIZED') this.submitRecovered(entry);
    if (notFound || order.status === 'SUBMITTED') {
      if (order.status !== 'SUBMITTED') {
        this.logger.error('the venue does not know an order it acknowledged', {
          clientOrderId: order.clientOrderId,
          status: order.status,
        });
      }
      this.markUnknown(entry, messageOf(error));
      return;
    }
    this.logger.warn('order lookup failed; trying again', {
      err: error,
      clientOrderId: order.clientOrderId,
    });
    this.scheduleLookup(entry, this.backoff(entry));
  }
}

/**
 * Returns why a status report cannot be about this order, or `undefined` when it can: a filled
 * quantity that is negative or above the order's, or another venue order id than the known one.
 */
function reportProblem(entry: ManagedOrder, report: OrderReport): ValidationError | undefined {
  const { order } = entry;
  const filled = report.filledQuantity;
  if (filled.isNeg() || compareDecimals(filled, order.quantity) > 0) {
    return new ValidationError(
      'filledQuantity',
      `be between 0 and the order quantity ${formatDecimal(order.quantity)}`,
      formatDecimal(filled),
    );
  }
  const known = order.venueOrderId;
  if (known !== undefined && report.venueOrderId !== known) {
    return new ValidationError('venueOrderId', `equal the known ${known}`, report.venueOrderId);
  }
  return undefined;
}
