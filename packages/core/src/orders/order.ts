import { compareDecimals, Decimal, formatDecimal, isDecimal, toDecimal } from '../decimal.js';
import {
  InvalidOrderTransitionError,
  isQtpError,
  ValidationError,
  type ValidationIssue,
} from '../errors.js';
import { type ClientOrderId, type InstrumentId, isClientOrderId } from '../identifiers.js';
import { addMoney, isCurrency, type Money } from '../money.js';
import { parseWith } from '../zod-errors.js';
import { createFill, type Fill, fillToJSON } from './fill.js';
import {
  createOrderRequest,
  defaultTimeInForce,
  hasCheckedOrderTerms,
  isCheckedOrderRequest,
  newCheckedRequest,
  type OrderRequest,
  type OrderRequestInput,
} from './order-request.js';
import { type OrderSnapshot, orderSnapshotSchema } from './order-snapshot.js';
import { canTransition, isOpenOrderStatus, isTerminalOrderStatus } from './order-state.js';
import {
  checkTimeMs,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  type TimeInForce,
} from './order-types.js';
import { parentClientOrderIdOf } from './parent-tag.js';

/** The options of a new {@link Order}: a request plus the id and time the OMS gives it. */
export interface OrderOptions extends OrderRequestInput {
  /** The client order id, unique per venue account. */
  clientOrderId: ClientOrderId;
  /** When the order was created, in epoch milliseconds. */
  timeMs: number;
}

const CANCELABLE: readonly OrderStatus[] = ['ACCEPTED', 'TRIGGERED', 'PARTIALLY_FILLED'];
const ZERO = new Decimal(0);
const NO_TAGS: readonly string[] = Object.freeze([]);
// Up to this many fills, a repeated trade id is found by scanning them rather than with a Set.
const TRADE_ID_SCAN_LIMIT = 8;

function expectIssue(issues: ValidationIssue[], field: string, expected: string, value: unknown) {
  issues.push({ field, rule: `be ${expected}`, value });
}

// The options Order.fromRequest made from a checked request, for the one constructor call it
// makes next: set and cleared within that call, so no other construction ever sees it.
let vouchedOptions: OrderOptions | undefined;

// True when checkTimeMs accepts `value`.
function isTimeMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

// Checks a new order's terms in full, listing every problem, the missing id and a bad time included.
function checkedRequest(options: OrderOptions): OrderRequest {
  const { timeMs, ...terms } = options;
  const issues: ValidationIssue[] = [];
  if (options.clientOrderId === undefined) {
    issues.push({ field: 'clientOrderId', rule: 'be present', value: undefined });
  }
  let request: OrderRequest | undefined;
  try {
    checkTimeMs(timeMs, 'timeMs');
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    issues.push(...(error as ValidationError).issues);
  }
  try {
    request = createOrderRequest(terms);
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    issues.push(...(error as ValidationError).issues);
  }
  if (issues.length > 0 || request === undefined) throw new ValidationError(issues);
  return request;
}

function isPositiveDecimal(value: unknown): boolean {
  return isDecimal(value) && value.isFinite() && value.s === 1 && !value.isZero();
}

// True when `value` is a time createFill would keep as it is: epoch milliseconds, not -0.
function isPlainTimeMs(value: unknown): boolean {
  return (
    typeof value === 'number' && Number.isSafeInteger(value) && (value > 0 || Object.is(value, 0))
  );
}

/**
 * An order and its lifecycle: the terms it was sent with, an explicit state machine over
 * {@link OrderStatus} (see `ORDER_TRANSITIONS`) and the fills applied to it. Filled quantity,
 * average price and fees are derived from the fills, so they can never disagree with them.
 *
 * Every method checks before it changes anything: an illegal move throws
 * {@link InvalidOrderTransitionError} and a bad fill throws {@link ValidationError}, both leaving
 * the order as it was.
 *
 * @example
 * ```ts
 * import { createFill, createMoney, instrumentId, Order } from '@qtp/core';
 * const order = new Order({
 *   clientOrderId: 'qtp-1', instrumentId: instrumentId('BTCUSDT', 'BINANCE'), side: 'BUY',
 *   type: 'LIMIT', quantity: '0.02', price: '27000', timeMs: 1_000,
 * });
 * order.submit(1_001);
 * order.accept('8812', 1_050);
 * order.applyFill(createFill({
 *   tradeId: 't-1', clientOrderId: 'qtp-1', venueOrderId: '8812', instrumentId: order.instrumentId,
 *   side: 'BUY', price: '27000', quantity: '0.01', fee: createMoney('0.27', 'USDT'),
 *   liquiditySide: 'MAKER', timeMs: 1_100,
 * }));
 * order.status; // 'PARTIALLY_FILLED'
 * ```
 */
export class Order {
  /** The client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** How the order executes. */
  readonly type: OrderType;
  /** How long the order stays working. */
  readonly timeInForce: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds; `undefined` otherwise. */
  readonly expireTimeMs: number | undefined;
  /** The quantity ordered in the base asset. */
  readonly quantity: Decimal;
  /** The limit price, for the types that have one. */
  readonly price: Decimal | undefined;
  /** The trigger price, for stop types. */
  readonly triggerPrice: Decimal | undefined;
  /** Whether the order may only reduce a position. */
  readonly reduceOnly: boolean;
  /** Free labels. */
  readonly tags: readonly string[];
  /** When the order was created, in epoch milliseconds. */
  readonly createdTimeMs: number;

  /**
   * The id of the parent order that sent it, read from its `parent:<id>` tag; `undefined` when
   * no execution algorithm sent it.
   */
  get parentClientOrderId(): string | undefined {
    return parentClientOrderIdOf(this.tags);
  }

  private currentStatus: OrderStatus = 'INITIALIZED';
  private statusBeforeCancel: OrderStatus | undefined;
  private currentVenueOrderId: string | undefined;
  private reason: string | undefined;
  private lastUpdatedTimeMs: number;
  private readonly appliedFills: Fill[] = [];
  // The trade ids seen, indexed only once an order has many fills: most orders fill once or
  // twice, and a Set per order was a large part of what a backtest kept per order.
  private tradeIds: Set<string> | undefined;
  // Running totals of the fills, updated once per fill. Summing every fill on each read made
  // the matching engine's per-fill reads (remaining quantity, reports) slow down with the number
  // of fills (measured in bench/matching-engine.bench.ts); the fills remain the record.
  private filledTotal: Decimal = ZERO;
  private remainingTotal: Decimal;
  // The exact notional of the fills, summed from the second fill on: one fill's average is its
  // price, and most orders fill once.
  private notionalTotal: Decimal | undefined;
  // The average fill price, derived from the totals on first read after a fill.
  private averagePrice: Decimal | undefined;
  // What toRequest returns, built on its first call.
  private request: OrderRequest | undefined;

  /**
   * Creates an order in status INITIALIZED.
   * @throws {@link ValidationError} listing every structural rule the terms break, or a bad time
   */
  constructor(options: OrderOptions) {
    const { timeMs } = options;
    const vouched = options === vouchedOptions;
    vouchedOptions = undefined;
    // The OMS and the venue each make an order from a request checked where it entered; its
    // terms are taken as they are, and anything else is checked in full.
    const request =
      vouched ||
      (options.clientOrderId !== undefined && isTimeMs(timeMs) && hasCheckedOrderTerms(options))
        ? (options as OrderRequestInput as OrderRequest)
        : checkedRequest(options);
    this.clientOrderId = options.clientOrderId;
    this.instrumentId = request.instrumentId;
    this.side = request.side;
    this.type = request.type;
    this.timeInForce = request.timeInForce ?? defaultTimeInForce(request.type);
    this.expireTimeMs = request.expireTimeMs;
    this.quantity = request.quantity;
    this.price = request.price;
    this.triggerPrice = request.triggerPrice;
    this.reduceOnly = request.reduceOnly ?? false;
    const tags = request.tags;
    this.tags =
      tags === undefined ? NO_TAGS : Object.isFrozen(tags) ? tags : Object.freeze([...tags]);
    this.createdTimeMs = timeMs + 0;
    this.lastUpdatedTimeMs = this.createdTimeMs;
    this.remainingTotal = this.quantity;
  }

  /**
   * Returns a new order (INITIALIZED) placing `request` under `clientOrderId`, created at
   * `timeMs`. A request `createOrderRequest` returned, or an order's own (`toRequest`), is taken
   * as it was checked, without a second look; anything else is checked in full, as by the
   * constructor. The id given wins over the request's own.
   *
   * @throws {@link ValidationError} listing every structural rule the terms break, or a bad
   * id or time
   * @example
   * ```ts
   * import { createOrderRequest, instrumentId, Order, toClientOrderId } from '@qtp/core';
   * const request = createOrderRequest({
   *   instrumentId: instrumentId('BTCUSDT', 'BINANCE'), side: 'BUY', type: 'MARKET', quantity: '1',
   * });
   * const order = Order.fromRequest(request, toClientOrderId('qtp-1'), 1_000);
   * order.timeInForce; // 'IOC'
   * ```
   */
  static fromRequest(request: OrderRequest, clientOrderId: ClientOrderId, timeMs: number): Order {
    const options: OrderOptions = { ...request, clientOrderId, timeMs };
    // A checked request's own id was checked with it.
    if (
      isCheckedOrderRequest(request) &&
      ((clientOrderId !== undefined && clientOrderId === request.clientOrderId) ||
        isClientOrderId(clientOrderId)) &&
      isTimeMs(timeMs)
    ) {
      vouchedOptions = options;
    }
    return new Order(options);
  }

  /** The current status. */
  get status(): OrderStatus {
    return this.currentStatus;
  }

  /** The venue's order id, known once accepted or filled. */
  get venueOrderId(): string | undefined {
    return this.currentVenueOrderId;
  }

  /** Why the order was rejected, when it was. */
  get rejectReason(): string | undefined {
    return this.reason;
  }

  /** When the order last changed, in epoch milliseconds; never earlier than a previous value. */
  get updatedTimeMs(): number {
    return this.lastUpdatedTimeMs;
  }

  /** Every fill applied, in the order applied. */
  get fills(): readonly Fill[] {
    return this.appliedFills.slice();
  }

  /**
   * Returns the fill applied with this trade id, or `undefined` when none was; unlike
   * {@link Order.fills} it copies nothing.
   * @example
   * ```ts
   * order.fillOf('t-1')?.quantity.toString(); // '0.01'
   * ```
   */
  fillOf(tradeId: string): Fill | undefined {
    if (this.tradeIds !== undefined && !this.tradeIds.has(tradeId)) return undefined;
    for (const fill of this.appliedFills) if (fill.tradeId === tradeId) return fill;
    return undefined;
  }

  /** The quantity filled so far: the sum of the fills. */
  get filledQuantity(): Decimal {
    return this.filledTotal;
  }

  /** The quantity still open: ordered minus filled. */
  get remainingQuantity(): Decimal {
    return this.remainingTotal;
  }

  /**
   * The quantity-weighted average fill price, `undefined` before the first fill. Computed from the
   * exact notional of the fills and divided once, to 34 significant digits.
   */
  get averageFillPrice(): Decimal | undefined {
    if (this.appliedFills.length === 0) return undefined;
    this.averagePrice ??= this.notionalTotal!.div(this.filledTotal);
    return this.averagePrice;
  }

  /** The fees charged so far, one {@link Money} per currency, in the order first charged. */
  get fees(): readonly Money[] {
    const byCurrency = new Map<string, Money>();
    for (const { fee } of this.appliedFills) {
      const sum = byCurrency.get(fee.currency);
      byCurrency.set(fee.currency, sum === undefined ? fee : addMoney(sum, fee));
    }
    return [...byCurrency.values()];
  }

  /** Whether the order is in a terminal status: FILLED, CANCELED, REJECTED or EXPIRED. */
  get isTerminal(): boolean {
    return isTerminalOrderStatus(this.currentStatus);
  }

  /** Whether the order was sent and may still be working at the venue. */
  get isOpen(): boolean {
    return isOpenOrderStatus(this.currentStatus);
  }

  /** Returns the request this order places: its terms with its client order id. */
  toRequest(): OrderRequest {
    // The terms never change and were checked when the order was made, so the request is built
    // once and unchecked: the OMS reads it for the pre-trade gate and again to place the order.
    this.request ??= this.buildRequest();
    return this.request;
  }

  /**
   * Marks the order sent to the venue: INITIALIZED to SUBMITTED.
   * @throws {@link InvalidOrderTransitionError} from any other status
   */
  submit(timeMs: number): void {
    this.move('SUBMITTED', timeMs, ['INITIALIZED']);
  }

  /**
   * Records the venue's acknowledgement and its order id: SUBMITTED to ACCEPTED.
   * @throws {@link InvalidOrderTransitionError} from any other status
   * @throws {@link ValidationError} when the venue id is empty or differs from one already known
   */
  accept(venueOrderId: string, timeMs: number): void {
    this.checkVenueOrderId(venueOrderId, 'venueOrderId');
    this.move('ACCEPTED', timeMs, ['SUBMITTED']);
    this.currentVenueOrderId = venueOrderId;
  }

  /**
   * Records that a stop order's trigger price was reached: ACCEPTED to TRIGGERED.
   * @throws {@link InvalidOrderTransitionError} from any other status, or for a non-stop order
   */
  trigger(timeMs: number): void {
    if (this.type !== 'STOP_MARKET' && this.type !== 'STOP_LIMIT') {
      throw new InvalidOrderTransitionError(this.currentStatus, 'TRIGGERED', {
        details: {
          clientOrderId: this.clientOrderId,
          reason: `a ${this.type} order has no trigger`,
        },
      });
    }
    this.move('TRIGGERED', timeMs, ['ACCEPTED']);
  }

  /**
   * Records that a cancel was sent: ACCEPTED, TRIGGERED or PARTIALLY_FILLED to PENDING_CANCEL.
   * @throws {@link InvalidOrderTransitionError} from any other status
   */
  requestCancel(timeMs: number): void {
    const before = this.currentStatus;
    this.move('PENDING_CANCEL', timeMs, CANCELABLE);
    this.statusBeforeCancel = before;
  }

  /**
   * Records that the venue refused a cancel: PENDING_CANCEL back to the status before it, or to
   * PARTIALLY_FILLED when fills arrived while the cancel was pending.
   * @throws {@link InvalidOrderTransitionError} from any status other than PENDING_CANCEL
   */
  rejectCancel(timeMs: number): void {
    if (this.currentStatus !== 'PENDING_CANCEL' || this.statusBeforeCancel === undefined) {
      throw this.transitionError('cancel rejected');
    }
    const back = this.appliedFills.length > 0 ? 'PARTIALLY_FILLED' : this.statusBeforeCancel;
    this.move(back, timeMs, ['PENDING_CANCEL']);
  }

  /**
   * Records that the order was canceled, at the venue or before it was sent.
   * @throws {@link InvalidOrderTransitionError} from a terminal status
   */
  cancel(timeMs: number): void {
    this.move('CANCELED', timeMs);
  }

  /**
   * Records that the order was refused: by risk or the OMS before it was sent, by the venue on
   * placement, or when a stop order was triggered.
   * @throws {@link InvalidOrderTransitionError} from any status but INITIALIZED, SUBMITTED and TRIGGERED
   */
  reject(reason: string, timeMs: number): void {
    if (typeof reason !== 'string') throw new ValidationError('reason', 'be a string', reason);
    this.move('REJECTED', timeMs);
    this.reason = reason;
  }

  /**
   * Records that the order lapsed: a GTD order at its expiry, or an IOC or FOK remainder.
   * @throws {@link InvalidOrderTransitionError} from INITIALIZED or a terminal status
   */
  expire(timeMs: number): void {
    this.move('EXPIRED', timeMs);
  }

  /**
   * Applies a fill and moves the order to PARTIALLY_FILLED or FILLED (or keeps it PENDING_CANCEL
   * when quantity stays open). A fill whose trade id was applied before is ignored: venues and
   * recovery replay fills, and booking one twice would double a position.
   *
   * @returns true when the fill was applied, false when its trade id had been seen (nothing changes)
   * @throws {@link ValidationError} when the fill is malformed, belongs to another order or would overfill it
   * @throws {@link InvalidOrderTransitionError} when the order is not live (INITIALIZED or terminal)
   */
  applyFill(input: Fill): boolean {
    if (this.hasTradeId(input.tradeId)) return false;
    // Checked again because a Fill may have been built by hand, without createFill; a frozen fill
    // that plainly belongs to this order skips the full rebuild, which cost more than the rest of
    // applying it.
    const fill = this.isWellFormedOwnFill(input) ? input : createFill(input);
    const filled = this.filledTotal.isZero() ? fill.quantity : this.filledTotal.plus(fill.quantity);
    const versusQuantity = compareDecimals(filled, this.quantity);
    const venueOrderId = this.currentVenueOrderId;
    if (
      versusQuantity > 0 ||
      fill.clientOrderId !== this.clientOrderId ||
      fill.instrumentId !== this.instrumentId ||
      fill.side !== this.side ||
      (venueOrderId !== undefined && fill.venueOrderId !== venueOrderId)
    ) {
      this.refuseFill(fill, versusQuantity);
    }
    let next: OrderStatus = 'PARTIALLY_FILLED';
    if (versusQuantity === 0) next = 'FILLED';
    else if (this.currentStatus === 'PENDING_CANCEL') next = 'PENDING_CANCEL';
    this.move(next, fill.timeMs);
    this.record(fill, filled);
    this.currentVenueOrderId ??= fill.venueOrderId;
    return true;
  }

  // Throws the ValidationError listing every way `fill` does not fit this order.
  private refuseFill(fill: Fill, versusQuantity: number): never {
    const issues: ValidationIssue[] = [];
    // Plain comparisons rather than a helper closure.
    if (fill.clientOrderId !== this.clientOrderId) {
      expectIssue(issues, 'clientOrderId', this.clientOrderId, fill.clientOrderId);
    }
    if (fill.instrumentId !== this.instrumentId) {
      expectIssue(issues, 'instrumentId', this.instrumentId, fill.instrumentId);
    }
    if (fill.side !== this.side) expectIssue(issues, 'side', this.side, fill.side);
    const venueOrderId = this.currentVenueOrderId;
    if (venueOrderId !== undefined && fill.venueOrderId !== venueOrderId) {
      expectIssue(issues, 'venueOrderId', venueOrderId, fill.venueOrderId);
    }
    if (versusQuantity > 0) {
      const rule = `be at most the remaining quantity ${formatDecimal(this.remainingTotal)}`;
      issues.push({ field: 'quantity', rule, value: formatDecimal(fill.quantity) });
    }
    throw new ValidationError(issues, undefined, undefined, {
      details: { clientOrderId: this.clientOrderId, tradeId: fill.tradeId },
    });
  }

  /** Returns the JSON form for the journal: every field, every fill, decimals as strings. */
  toSnapshot(): OrderSnapshot {
    const snapshot: OrderSnapshot = {
      clientOrderId: this.clientOrderId,
      instrumentId: this.instrumentId,
      side: this.side,
      type: this.type,
      timeInForce: this.timeInForce,
      quantity: formatDecimal(this.quantity),
      reduceOnly: this.reduceOnly,
      tags: [...this.tags],
      status: this.currentStatus,
      filledQuantity: formatDecimal(this.filledQuantity),
      createdTimeMs: this.createdTimeMs,
      updatedTimeMs: this.lastUpdatedTimeMs,
      fills: this.appliedFills.map(fillToJSON),
    };
    if (this.currentVenueOrderId !== undefined) snapshot.venueOrderId = this.currentVenueOrderId;
    if (this.expireTimeMs !== undefined) snapshot.expireTimeMs = this.expireTimeMs;
    if (this.price !== undefined) snapshot.price = formatDecimal(this.price);
    if (this.triggerPrice !== undefined) snapshot.triggerPrice = formatDecimal(this.triggerPrice);
    if (this.statusBeforeCancel !== undefined)
      snapshot.statusBeforeCancel = this.statusBeforeCancel;
    if (this.reason !== undefined) snapshot.rejectReason = this.reason;
    const average = this.averageFillPrice;
    if (average !== undefined) snapshot.averageFillPrice = formatDecimal(average);
    return snapshot;
  }

  /**
   * Rebuilds an order from its snapshot, checking that the snapshot is consistent: fills belong
   * to the order, do not repeat or overfill, agree with the filled quantity and average price, and
   * fit the status.
   *
   * @throws {@link ValidationError} naming every malformed or inconsistent field
   * @example
   * ```ts
   * import { Order } from '@qtp/core';
   * const copy = Order.fromSnapshot(JSON.parse(JSON.stringify(order.toSnapshot())));
   * ```
   */
  static fromSnapshot(input: unknown): Order {
    const snapshot = parseWith(orderSnapshotSchema, input);
    const options: OrderOptions = {
      clientOrderId: snapshot.clientOrderId,
      instrumentId: snapshot.instrumentId as InstrumentId,
      side: snapshot.side,
      type: snapshot.type,
      timeInForce: snapshot.timeInForce,
      quantity: snapshot.quantity,
      reduceOnly: snapshot.reduceOnly,
      tags: snapshot.tags,
      timeMs: snapshot.createdTimeMs,
    };
    if (snapshot.price !== undefined) options.price = snapshot.price;
    if (snapshot.triggerPrice !== undefined) options.triggerPrice = snapshot.triggerPrice;
    if (snapshot.expireTimeMs !== undefined) options.expireTimeMs = snapshot.expireTimeMs;
    const order = new Order(options);
    const issues: ValidationIssue[] = [];
    snapshot.fills.forEach((json, index) => {
      try {
        const fill = createFill({
          ...json,
          instrumentId: json.instrumentId as InstrumentId,
          fee: { amount: toDecimal(json.fee.amount, 'fee.amount'), currency: json.fee.currency },
        });
        if (order.hasTradeId(fill.tradeId)) {
          issues.push({ field: `fills[${index}].tradeId`, rule: 'be unique', value: fill.tradeId });
          return;
        }
        order.checkFillBelongs(fill, snapshot.venueOrderId, `fills[${index}]`, issues);
        order.record(fill, order.filledTotal.plus(fill.quantity));
      } catch (error) {
        if (!isQtpError(error, 'VALIDATION')) throw error;
        for (const issue of (error as ValidationError).issues) {
          issues.push({ ...issue, field: `fills[${index}].${issue.field}` });
        }
      }
    });
    order.currentStatus = snapshot.status;
    order.currentVenueOrderId = snapshot.venueOrderId;
    order.statusBeforeCancel = snapshot.statusBeforeCancel;
    order.reason = snapshot.rejectReason;
    order.lastUpdatedTimeMs = snapshot.updatedTimeMs;
    if (issues.length === 0) issues.push(...order.consistencyIssues(snapshot));
    if (issues.length > 0) throw new ValidationError(issues);
    return order;
  }

  // The fields in the order createOrderRequest writes them.
  private buildRequest(): OrderRequest {
    const request = newCheckedRequest();
    request.instrumentId = this.instrumentId;
    request.side = this.side;
    request.type = this.type;
    request.quantity = this.quantity;
    request.timeInForce = this.timeInForce;
    if (this.price !== undefined) request.price = this.price;
    if (this.triggerPrice !== undefined) request.triggerPrice = this.triggerPrice;
    if (this.expireTimeMs !== undefined) request.expireTimeMs = this.expireTimeMs;
    request.reduceOnly = this.reduceOnly;
    request.clientOrderId = this.clientOrderId;
    request.tags = this.tags;
    return Object.freeze(request);
  }

  // Adds a checked fill to the record and the running totals; `filled` is the new filled total.
  private record(fill: Fill, filled: Decimal): void {
    this.appliedFills.push(fill);
    if (this.tradeIds !== undefined) this.tradeIds.add(fill.tradeId);
    else if (this.appliedFills.length > TRADE_ID_SCAN_LIMIT) {
      this.tradeIds = new Set(this.appliedFills.map((applied) => applied.tradeId));
    }
    this.filledTotal = filled;
    // Decimals are immutable: a full fill leaves the shared zero.
    this.remainingTotal =
      compareDecimals(filled, this.quantity) === 0 ? ZERO : this.quantity.minus(filled);
    // One fill's average is its price (price x quantity / quantity, exact at 34 digits): the
    // notional is multiplied out only once a second fill makes an average to divide.
    const fills = this.appliedFills;
    if (fills.length === 1) {
      this.averagePrice = fill.price;
    } else {
      const before = this.notionalTotal ?? fills[0]!.price.times(fills[0]!.quantity);
      this.notionalTotal = before.plus(fill.price.times(fill.quantity));
      this.averagePrice = undefined;
    }
  }

  private hasTradeId(tradeId: string): boolean {
    if (this.tradeIds !== undefined) return this.tradeIds.has(tradeId);
    for (const fill of this.appliedFills) if (fill.tradeId === tradeId) return true;
    return false;
  }

  // True when `fill` is exactly what createFill would return for it: frozen (so it cannot change
  // once applied), with this order's ids and side, QTP Decimals in range and a valid fee and time.
  // Anything else goes through createFill, which reports every problem.
  private isWellFormedOwnFill(fill: Fill): boolean {
    const fee = fill.fee;
    return (
      Object.isFrozen(fill) &&
      fill.clientOrderId === this.clientOrderId &&
      fill.instrumentId === this.instrumentId &&
      fill.side === this.side &&
      typeof fill.tradeId === 'string' &&
      fill.tradeId !== '' &&
      typeof fill.venueOrderId === 'string' &&
      fill.venueOrderId !== '' &&
      (fill.liquiditySide === 'MAKER' || fill.liquiditySide === 'TAKER') &&
      isPositiveDecimal(fill.price) &&
      isPositiveDecimal(fill.quantity) &&
      isPlainTimeMs(fill.timeMs) &&
      typeof fee === 'object' &&
      fee !== null &&
      Object.isFrozen(fee) &&
      isDecimal(fee.amount) &&
      fee.amount.isFinite() &&
      !(fee.amount.isZero() && fee.amount.isNegative()) &&
      isCurrency(fee.currency)
    );
  }

  private transitionError(to: string): InvalidOrderTransitionError {
    return new InvalidOrderTransitionError(this.currentStatus, to, {
      details: { clientOrderId: this.clientOrderId },
    });
  }

  // Checks everything first and changes the status last, so a refused move leaves no trace.
  private move(to: OrderStatus, timeMs: number, from?: readonly OrderStatus[]): void {
    const time = checkTimeMs(timeMs, 'timeMs');
    if (
      (from !== undefined && !from.includes(this.currentStatus)) ||
      !canTransition(this.currentStatus, to)
    ) {
      throw this.transitionError(to);
    }
    if (to !== 'PENDING_CANCEL') this.statusBeforeCancel = undefined;
    this.currentStatus = to;
    this.lastUpdatedTimeMs = Math.max(this.lastUpdatedTimeMs, time);
  }

  private checkVenueOrderId(venueOrderId: string, field: string): void {
    if (typeof venueOrderId !== 'string' || venueOrderId === '') {
      throw new ValidationError(field, 'be a non-empty string', venueOrderId);
    }
    if (this.currentVenueOrderId !== undefined && venueOrderId !== this.currentVenueOrderId) {
      throw new ValidationError(
        field,
        `equal the known venue order id ${this.currentVenueOrderId}`,
        venueOrderId,
      );
    }
  }

  private checkFillBelongs(
    fill: Fill,
    venueOrderId: string | undefined,
    path: string,
    issues: ValidationIssue[],
  ): void {
    const expected: Partial<Record<keyof Fill, unknown>> = {
      clientOrderId: this.clientOrderId,
      instrumentId: this.instrumentId,
      side: this.side,
      venueOrderId,
    };
    for (const [field, value] of Object.entries(expected)) {
      const actual = fill[field as keyof Fill];
      if (value !== undefined && actual !== value) {
        issues.push({ field: `${path}.${field}`, rule: `be ${String(value)}`, value: actual });
      }
    }
  }

  // The invariants the state machine keeps; a snapshot that breaks one was not written by it.
  private consistencyIssues(snapshot: OrderSnapshot): ValidationIssue[] {
    const issues: ValidationIssue[] = [];
    const filled = this.filledQuantity;
    const status = this.currentStatus;
    const add = (field: string, rule: string, value: unknown) =>
      issues.push({ field, rule, value });
    if (filled.gt(this.quantity))
      add(
        'fills',
        `not add up to more than the quantity ${snapshot.quantity}`,
        formatDecimal(filled),
      );
    if (!filled.eq(toDecimal(snapshot.filledQuantity, 'filledQuantity'))) {
      add(
        'filledQuantity',
        `equal the sum of the fills ${formatDecimal(filled)}`,
        snapshot.filledQuantity,
      );
    }
    const average = this.averageFillPrice;
    const recorded =
      snapshot.averageFillPrice === undefined ? undefined : toDecimal(snapshot.averageFillPrice);
    if (
      (average === undefined) !== (recorded === undefined) ||
      (average && recorded && !average.eq(recorded))
    ) {
      const rule =
        average === undefined
          ? 'be absent without fills'
          : `equal the fills' average ${formatDecimal(average)}`;
      add('averageFillPrice', rule, snapshot.averageFillPrice);
    }
    const none = ['INITIALIZED', 'SUBMITTED', 'ACCEPTED', 'TRIGGERED', 'REJECTED'].includes(status);
    if (none && !filled.isZero()) add('status', 'have no fills', status);
    if (status === 'FILLED' && !filled.eq(this.quantity))
      add('status', 'be FILLED only when fully filled', status);
    if (status !== 'FILLED' && filled.eq(this.quantity))
      add('status', 'be FILLED when fully filled', status);
    if (status === 'PARTIALLY_FILLED' && filled.isZero())
      add('status', 'have a fill when PARTIALLY_FILLED', status);
    const pending = status === 'PENDING_CANCEL';
    if (
      pending !== (this.statusBeforeCancel !== undefined) ||
      (pending && !CANCELABLE.includes(this.statusBeforeCancel!))
    ) {
      add(
        'statusBeforeCancel',
        `be one of ${CANCELABLE.join(', ')} exactly when PENDING_CANCEL`,
        this.statusBeforeCancel,
      );
    }
    if (this.reason !== undefined && status !== 'REJECTED')
      add('rejectReason', 'be absent unless REJECTED', this.reason);
    if (this.lastUpdatedTimeMs < this.createdTimeMs) {
      add(
        'updatedTimeMs',
        `be at least createdTimeMs ${this.createdTimeMs}`,
        this.lastUpdatedTimeMs,
      );
    }
    return issues;
  }
}
