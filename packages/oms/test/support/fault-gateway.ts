import {
  createFill,
  createMoney,
  Decimal,
  type ExecutionEvents,
  type Fill,
  type InstrumentId,
  InvalidOrderError,
  NetworkError,
  type OrderAck,
  type OrderGateway,
  OrderNotFoundError,
  type OrderRef,
  type OrderReport,
  type OrderRequest,
  OrderStateUnknownError,
  type OrderStatus,
  type SimulatedClock,
  TimeoutError,
} from '@qtp/core';
import { EventEmitter } from 'eventemitter3';

/**
 * What the fake venue does with the next placement: `accept` acknowledges it and reports it
 * on the stream; the others inject a fault. `timeout-after-accepting` and `reset-after-sending`
 * keep the order at the venue but lose the answer (and the stream report); `lost` never lets it
 * arrive; `refuse` is a definitive InvalidOrderError; `hold` leaves the call pending until the
 * test settles it with `release`.
 */
export type PlacementMode =
  | 'accept'
  | 'timeout-after-accepting'
  | 'reset-after-sending'
  | 'unknown-after-accepting'
  | 'lost'
  | 'refuse'
  | 'hold';

interface Held {
  readonly request: OrderRequest;
  resolve(ack: OrderAck): void;
  reject(error: unknown): void;
}

/**
 * An OrderGateway that misbehaves on purpose, for fault injection: it loses answers, repeats and
 * reorders reports, and fails lookups as told. The normal path is tested against the real
 * SimulatedExchange in test/.
 */
export class FaultGateway implements OrderGateway {
  readonly executions = new EventEmitter<ExecutionEvents>();
  /** Every request placeOrder was called with, in order. */
  readonly placed: OrderRequest[] = [];
  /** Every ref cancelOrder was called with. */
  readonly cancels: OrderRef[] = [];
  /** How many times fetchOrder was called. */
  fetches = 0;
  /** The mode of every placement from now on. */
  mode: PlacementMode = 'accept';
  /** Fails this many next lookups with a NetworkError. */
  failFetches = 0;
  /**
   * Decides, for each message to the order manager, whether it is lost: a placement answer or
   * stream report (dropped), a cancel request (never reaches the venue) or its acknowledgement.
   */
  lose: (() => boolean) | undefined;
  /** Called at the start of placeOrder, before anything else. */
  onPlace: ((request: OrderRequest) => void) | undefined;
  /** How many times fetchOrderFills was called. */
  fillFetches = 0;
  /** Every fill the venue made, by client order id, oldest first. */
  readonly trades = new Map<string, Fill[]>();
  /** The venue's view of each order it received, by client order id. */
  readonly venue = new Map<string, OrderReport>();
  readonly held: Held[] = [];
  private nextVenueId = 1;
  private nextTradeId = 1;

  constructor(private readonly clock: SimulatedClock) {}

  async placeOrder(request: OrderRequest): Promise<OrderAck> {
    this.placed.push(request);
    this.onPlace?.(request);
    const clientOrderId = request.clientOrderId!;
    switch (this.mode) {
      case 'accept': {
        const report = this.receive(request);
        this.emitUpdate(report);
        if (this.lose?.() === true) throw new TimeoutError('placement timed out', 5_000);
        return this.ackOf(report);
      }
      case 'timeout-after-accepting':
        this.receive(request);
        throw new TimeoutError('placement timed out', 5_000);
      case 'reset-after-sending':
        this.receive(request);
        throw new NetworkError('socket hang up (ECONNRESET)');
      case 'unknown-after-accepting':
        this.receive(request);
        throw new OrderStateUnknownError(clientOrderId);
      case 'lost':
        throw new OrderStateUnknownError(clientOrderId);
      case 'refuse':
        throw new InvalidOrderError('price outside the venue band');
      case 'hold':
        return new Promise<OrderAck>((resolve, reject) =>
          this.held.push({ request, resolve, reject }),
        );
    }
  }

  async cancelOrder(ref: OrderRef): Promise<void> {
    this.cancels.push(ref);
    const report = this.find(ref);
    if (['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED'].includes(report.status)) {
      throw new OrderNotFoundError(`order ${ref.clientOrderId} is ${report.status}`);
    }
    if (this.lose?.() === true) throw new TimeoutError('cancel timed out', 5_000);
    this.emitUpdate(
      this.update(report.clientOrderId, { status: 'CANCELED', timeMs: this.clock.now() }),
    );
  }

  async fetchOrder(ref: OrderRef): Promise<OrderReport> {
    this.fetches += 1;
    if (this.failFetches > 0) {
      this.failFetches -= 1;
      throw new NetworkError('lookup failed (ECONNREFUSED)');
    }
    return this.find(ref);
  }

  async fetchOrderFills(ref: OrderRef): Promise<readonly Fill[]> {
    this.fillFetches += 1;
    const report = this.find(ref);
    return [...(this.trades.get(report.clientOrderId) ?? [])];
  }

  /** Records the order at the venue as ACCEPTED and returns its report, without emitting. */
  receive(request: OrderRequest): OrderReport {
    const report: OrderReport = Object.freeze({
      instrumentId: request.instrumentId,
      clientOrderId: request.clientOrderId!,
      venueOrderId: `v-${this.nextVenueId++}`,
      status: 'ACCEPTED' as OrderStatus,
      filledQuantity: new Decimal(0),
      timeMs: this.clock.now(),
    });
    this.venue.set(report.clientOrderId, report);
    return report;
  }

  /** Returns the acknowledgement of a received order. */
  ackOf(report: OrderReport): OrderAck {
    return {
      instrumentId: report.instrumentId,
      clientOrderId: report.clientOrderId,
      venueOrderId: report.venueOrderId,
      status: report.status,
      timeMs: report.timeMs,
    };
  }

  /** Changes the venue's view of an order and returns the new report, without emitting. */
  update(clientOrderId: string, change: Partial<OrderReport>): OrderReport {
    const report = Object.freeze({ ...this.venue.get(clientOrderId)!, ...change });
    this.venue.set(clientOrderId, report);
    return report;
  }

  /**
   * Fills an order at the venue and returns the fill and the report after it, without
   * emitting either.
   */
  fill(
    clientOrderId: string,
    quantity: string,
    price: string,
  ): { fill: Fill; report: OrderReport } {
    const before = this.venue.get(clientOrderId)!;
    const fill = createFill({
      tradeId: `t-${this.nextTradeId++}`,
      clientOrderId,
      venueOrderId: before.venueOrderId,
      instrumentId: before.instrumentId,
      side: this.placed.find((request) => request.clientOrderId === clientOrderId)!.side,
      price,
      quantity,
      fee: createMoney('0.01', 'USDT'),
      liquiditySide: 'MAKER',
      timeMs: this.clock.now(),
    });
    const booked = this.trades.get(clientOrderId) ?? [];
    booked.push(fill);
    this.trades.set(clientOrderId, booked);
    const filled = before.filledQuantity.plus(fill.quantity);
    const notional = (before.averageFillPrice ?? new Decimal(0))
      .times(before.filledQuantity)
      .plus(fill.price.times(fill.quantity));
    const ordered = this.placed.find(
      (request) => request.clientOrderId === clientOrderId,
    )!.quantity;
    const report = this.update(clientOrderId, {
      status: filled.eq(ordered) ? 'FILLED' : 'PARTIALLY_FILLED',
      filledQuantity: filled,
      averageFillPrice: notional.div(filled),
      timeMs: this.clock.now(),
    });
    return { fill, report };
  }

  emitUpdate(report: OrderReport): void {
    if (this.lose?.() === true) return;
    this.executions.emit('orderUpdate', { type: 'orderUpdate', report });
  }

  emitFill(fill: Fill): void {
    if (this.lose?.() === true) return;
    this.executions.emit('fill', { type: 'fill', fill });
  }

  /** Settles a held placement: acknowledged when `error` is absent. */
  release(index: number, error?: unknown): void {
    const held = this.held[index]!;
    if (error !== undefined) {
      held.reject(error);
      return;
    }
    const report = this.venue.get(held.request.clientOrderId!) ?? this.receive(held.request);
    held.resolve(this.ackOf(report));
  }

  private find(ref: OrderRef): OrderReport {
    const report = ref.clientOrderId === undefined ? undefined : this.venue.get(ref.clientOrderId);
    if (report === undefined || report.instrumentId !== (ref.instrumentId as InstrumentId)) {
      throw new OrderNotFoundError(`unknown order ${ref.clientOrderId}`);
    }
    return report;
  }
}
