import {
  type ChildOrderView,
  type ClientOrderId,
  Decimal,
  type Fill,
  type InstrumentId,
  isTerminalOrderStatus,
  type OrderReport,
  type OrderSide,
  type ParentOrderStatus,
  type ParentOrderView,
} from '@qtp/core';

const ZERO = new Decimal(0);

interface ChildRecord {
  readonly clientOrderId: ClientOrderId;
  readonly quantity: Decimal;
  filledQuantity: Decimal;
  status: OrderReport['status'];
  readonly sentTimeMs: number;
  readonly tradeIds: Set<string>;
}

/**
 * The book of one parent order: its children, and the figures their fills add up to. Fills are
 * counted once by trade id, and a child's status only ever moves it between working and done;
 * the filled quantity comes from fills alone.
 */
export class ParentOrder implements ParentOrderView {
  readonly #children = new Map<ClientOrderId, ChildRecord>();
  #status: ParentOrderStatus = 'PENDING';
  #filled = ZERO;
  #notional = ZERO;
  // Kept as children change, so a schedule asking on every tick costs no walk of its children.
  #working = ZERO;
  #live = 0;
  #fees = new Map<string, Decimal>();
  #startTimeMs: number | undefined;
  #endTimeMs: number | undefined;
  #reason: string | undefined;

  constructor(
    readonly parentClientOrderId: string,
    readonly algorithm: string,
    readonly instrumentId: InstrumentId,
    readonly side: OrderSide,
    readonly quantity: Decimal,
  ) {}

  get status(): ParentOrderStatus {
    return this.#status;
  }

  get filledQuantity(): Decimal {
    return this.#filled;
  }

  get workingQuantity(): Decimal {
    return this.#working;
  }

  get remainingQuantity(): Decimal {
    const left = this.quantity.minus(this.#filled).minus(this.workingQuantity);
    return left.gt(0) ? left : ZERO;
  }

  get averageFillPrice(): Decimal | undefined {
    return this.#filled.isZero() ? undefined : this.#notional.div(this.#filled);
  }

  get fees(): Readonly<Record<string, Decimal>> {
    return Object.freeze(Object.fromEntries(this.#fees));
  }

  get children(): readonly ChildOrderView[] {
    return [...this.#children.values()].map((child) =>
      Object.freeze({
        clientOrderId: child.clientOrderId,
        parentClientOrderId: this.parentClientOrderId,
        quantity: child.quantity,
        filledQuantity: child.filledQuantity,
        status: child.status,
        sentTimeMs: child.sentTimeMs,
      }),
    );
  }

  get startTimeMs(): number | undefined {
    return this.#startTimeMs;
  }

  get endTimeMs(): number | undefined {
    return this.#endTimeMs;
  }

  get reason(): string | undefined {
    return this.#reason;
  }

  /** Whether the parent still works: started and neither filled, canceled nor stopped. */
  get isActive(): boolean {
    return this.#status === 'WORKING';
  }

  /** Whether any child has not reached a terminal status. */
  get hasLiveChildren(): boolean {
    return this.#live > 0;
  }

  /** Ids of the children not yet terminal. */
  liveChildIds(): ClientOrderId[] {
    const ids: ClientOrderId[] = [];
    if (this.#live === 0) return ids;
    for (const child of this.#children.values()) {
      if (!isTerminalOrderStatus(child.status)) ids.push(child.clientOrderId);
    }
    return ids;
  }

  /** Whether `clientOrderId` is one of its children. */
  owns(clientOrderId: ClientOrderId): boolean {
    return this.#children.has(clientOrderId);
  }

  start(timeMs: number): void {
    if (this.#status !== 'PENDING') return;
    this.#status = 'WORKING';
    this.#startTimeMs = timeMs;
  }

  addChild(clientOrderId: ClientOrderId, quantity: Decimal, timeMs: number): void {
    this.#children.set(clientOrderId, {
      clientOrderId,
      quantity,
      filledQuantity: ZERO,
      status: 'SUBMITTED',
      sentTimeMs: timeMs,
      tradeIds: new Set(),
    });
    this.#working = this.#working.plus(quantity);
    this.#live++;
  }

  /** Records a child's status; returns whether the child just reached a terminal status. */
  onChildUpdate(report: OrderReport): boolean {
    const child = this.#children.get(report.clientOrderId);
    if (child === undefined || isTerminalOrderStatus(child.status)) return false;
    child.status = report.status;
    if (!isTerminalOrderStatus(report.status)) return false;
    // Whatever the child had left stops working with it.
    const left = child.quantity.minus(child.filledQuantity);
    if (left.gt(0)) this.#working = this.#working.minus(left);
    this.#live--;
    return true;
  }

  /** Books a child's fill once by trade id; returns whether it was new. */
  onChildFill(fill: Fill): boolean {
    const child = this.#children.get(fill.clientOrderId);
    if (child === undefined || child.tradeIds.has(fill.tradeId)) return false;
    child.tradeIds.add(fill.tradeId);
    if (!isTerminalOrderStatus(child.status)) {
      const left = child.quantity.minus(child.filledQuantity);
      this.#working = this.#working.minus(Decimal.min(left.gt(0) ? left : ZERO, fill.quantity));
    }
    child.filledQuantity = child.filledQuantity.plus(fill.quantity);
    this.#filled = this.#filled.plus(fill.quantity);
    this.#notional = this.#notional.plus(fill.quantity.times(fill.price));
    const asset = fill.fee.currency;
    this.#fees.set(asset, (this.#fees.get(asset) ?? ZERO).plus(fill.fee.amount));
    if (this.#filled.gte(this.quantity) && this.#status === 'WORKING') {
      this.#status = 'FILLED';
      this.#endTimeMs = fill.timeMs;
    }
    return true;
  }

  /** Ends the parent as canceled or stopped (an algorithm that cannot go on), with a reason. */
  end(status: 'CANCELED' | 'STOPPED', timeMs: number, reason: string): void {
    if (this.#status === 'FILLED' || this.#status === 'CANCELED' || this.#status === 'STOPPED') {
      return;
    }
    this.#status = status;
    this.#endTimeMs = timeMs;
    this.#reason = reason;
  }
}
