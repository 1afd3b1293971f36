import {
  type ClientOrderId,
  Decimal,
  type ExecutionAlgorithm,
  type ExecutionContext,
  type ExecutionEndedEvent,
  type Fill,
  type InstrumentId,
  type MarketDataEvent,
  type OrderReport,
  type OrderRequestInput,
  type OrderSide,
  type ParentOrderView,
  ValidationError,
} from '@qtp/core';
import { limitPriceFor } from './child-pricing.js';
import { ParentOrder } from './parent-order.js';
import { costsOf } from './tca.js';

const ZERO = new Decimal(0);

/** The options every execution algorithm takes. */
export interface ParentOrderOptions {
  /** The instrument to trade. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** The quantity to trade, in the base asset. */
  readonly quantity: Decimal;
  /**
   * The worst price any child may trade at: children are limit orders no worse than it, and
   * none is sent while the market is beyond it. Absent: no limit.
   */
  readonly limitPrice?: Decimal | undefined;
  /** How many children in a row refused, or expired without a fill, stop the algorithm (default 3). */
  readonly maxRejections?: number | undefined;
  /**
   * A pre-trade estimate of the cost, in basis points of the arrival price (for example
   * `squareRootImpact(q, parameters) * 10_000` from `@qtp/exchange`), reported in the
   * `execution.ended` event's costs beside what happened. Absent: reported as `null`.
   */
  readonly estimatedImpactBps?: number | undefined;
}

/** What an algorithm has seen of its market. */
export interface MarketView {
  /** The last trade price, or bar close, seen; NaN before any. */
  last: number;
  /** The best bid of the last quote or book; NaN when none. */
  bid: number;
  /** The best ask of the last quote or book; NaN when none. */
  ask: number;
  /** The volume traded since the algorithm began: trades' sizes, or bars' volumes. */
  volume: number;
}

/**
 * What the four algorithms share: the parent's book, the market seen, child sending with lot
 * rounding and the parent's limit, and the bookkeeping of updates and fills. A subclass decides
 * when and how much to send, in `begin`, `onMarket`, `onWake` and `onChildDone`.
 */
export abstract class ExecutionAlgorithmBase implements ExecutionAlgorithm {
  /** The algorithm's name, such as `TWAP`. */
  abstract readonly name: string;
  #parent: ParentOrder | undefined;
  #context: ExecutionContext | undefined;
  #begun = false;
  #rejectionsInRow = 0;
  #endReported = false;
  // The market over the parent's life as its cost analysis sums it: from the event it began on.
  #arrival = Number.NaN;
  #intervalVolume = 0;
  #intervalNotional = 0;
  /** What the algorithm has seen of its instrument's market. */
  protected readonly market: MarketView = {
    last: Number.NaN,
    bid: Number.NaN,
    ask: Number.NaN,
    volume: 0,
  };

  constructor(protected readonly order: ParentOrderOptions) {}

  get instrumentId(): InstrumentId {
    return this.order.instrumentId;
  }

  get parent(): ParentOrderView {
    if (this.#parent === undefined) {
      throw new ValidationError('parent', 'exist: start the algorithm first', undefined);
    }
    return this.#parent;
  }

  /** The context it was started with. */
  protected get context(): ExecutionContext {
    if (this.#context === undefined) {
      throw new ValidationError('context', 'exist: start the algorithm first', undefined);
    }
    return this.#context;
  }

  /** Whether the parent still works. */
  protected get isActive(): boolean {
    return this.#parent?.isActive === true;
  }

  start(context: ExecutionContext, parentClientOrderId: string): void {
    if (this.#parent !== undefined) {
      throw new ValidationError('start', 'be called once per algorithm', parentClientOrderId);
    }
    if (context.instrument.id !== this.order.instrumentId) {
      throw new ValidationError(
        'instrumentId',
        `be the context's instrument ${context.instrument.id}`,
        this.order.instrumentId,
      );
    }
    this.#context = context;
    this.#parent = new ParentOrder(
      parentClientOrderId,
      this.name,
      this.order.instrumentId,
      this.order.side,
      this.order.quantity,
    );
    const startMs = this.startTimeMs();
    if (startMs !== undefined && startMs > context.now()) context.wakeAt(startMs);
    else if (startMs !== undefined) this.#begin(context.now());
  }

  onMarketData(event: MarketDataEvent): void {
    if (event.instrumentId !== this.order.instrumentId || this.#parent === undefined) return;
    const market = this.market;
    let size = 0;
    switch (event.type) {
      case 'trade':
        market.last = event.trade.price;
        size = event.trade.size;
        if (this.#begun) market.volume += size;
        break;
      case 'bar':
        market.last = event.bar.close;
        size = event.bar.volume;
        if (this.#begun) market.volume += size;
        break;
      case 'quote':
        market.bid = event.quote.bidPrice;
        market.ask = event.quote.askPrice;
        break;
      case 'bookSnapshot':
        market.bid = event.snapshot.bids[0]?.price ?? Number.NaN;
        market.ask = event.snapshot.asks[0]?.price ?? Number.NaN;
        break;
      case 'bookDelta':
        return;
    }
    if (!this.#begun) {
      const startMs = this.startTimeMs();
      if (startMs === undefined || event.eventTimeMs >= startMs) {
        this.#begin(event.eventTimeMs);
        this.#addToInterval(size);
      }
      return;
    }
    if (!this.isActive) return;
    this.#addToInterval(size);
    this.onMarket(event);
  }

  onChildUpdate(report: OrderReport): void {
    const parent = this.#parent;
    if (parent === undefined || !parent.owns(report.clientOrderId)) return;
    const done = parent.onChildUpdate(report);
    if (!done) return;
    // A refused child, or one that expired without a fill, says the market will not take it now:
    // counted, so an algorithm cannot resend into a wall without end.
    if (
      report.status === 'REJECTED' ||
      (report.status === 'EXPIRED' && report.filledQuantity.isZero())
    ) {
      this.#rejectionsInRow++;
      const limit = this.order.maxRejections ?? 3;
      if (this.#rejectionsInRow >= limit && parent.isActive) {
        const why = report.rejectReason ?? 'no reason given';
        this.#stop(
          `${this.#rejectionsInRow} children in a row refused or expired unfilled; the last: ${report.status} ${why}`,
        );
        return;
      }
    } else if (report.filledQuantity.gt(0)) {
      this.#rejectionsInRow = 0;
    }
    if (this.isActive) this.onChildDone(report);
  }

  onChildFill(fill: Fill): void {
    const parent = this.#parent;
    if (parent === undefined || !parent.owns(fill.clientOrderId)) return;
    if (!parent.onChildFill(fill)) return;
    this.#rejectionsInRow = 0;
    if (parent.status === 'FILLED') {
      this.#cancelLiveChildren();
      this.#reportEnd();
    }
  }

  onTimer(nowMs: number): void {
    if (this.#parent === undefined) return;
    if (!this.#begun) {
      const startMs = this.startTimeMs();
      if (startMs === undefined || nowMs >= startMs) this.#begin(nowMs);
      return;
    }
    if (this.isActive) this.onWake(nowMs);
  }

  cancel(reason = 'canceled'): void {
    const parent = this.#parent;
    if (parent === undefined) return;
    parent.end('CANCELED', this.context.now(), reason);
    this.#cancelLiveChildren();
    this.#reportEnd();
  }

  /** When the algorithm is to begin; undefined: at the first market data event it sees. */
  protected startTimeMs(): number | undefined {
    return undefined;
  }

  /** Called once when the algorithm begins, at `nowMs`. */
  protected abstract begin(nowMs: number): void;

  /** Called on each market data event of the instrument once begun. */
  protected onMarket(_event: MarketDataEvent): void {}

  /** Called on each wake-up asked for with `wakeAt` once begun. */
  protected onWake(_nowMs: number): void {}

  /** Called when a child reaches a terminal status (filled, canceled, expired or refused). */
  protected onChildDone(_report: OrderReport): void {}

  /**
   * Sends a child of up to `quantity` (rounded down to the lot size and capped at what is
   * neither filled nor working) as a limit at `price` or, without a price and without a parent
   * limit, a market order. Returns its id, or undefined when nothing could be sent: the rounded
   * quantity is below the minimum, or the market is beyond the parent's limit.
   */
  protected sendChild(quantity: Decimal, price?: Decimal): ClientOrderId | undefined {
    const parent = this.#parent!;
    if (!parent.isActive) return undefined;
    const { instrument } = this.context;
    const capped = Decimal.min(quantity, parent.remainingQuantity);
    if (capped.lte(0)) return undefined;
    const rounded = instrument.roundQuantity(capped);
    if (rounded.isZero() || rounded.lt(instrument.minQuantity)) return undefined;
    const limit = this.order.limitPrice;
    let childPrice = price;
    if (limit !== undefined) {
      if (childPrice === undefined) childPrice = limit;
      else
        childPrice =
          this.order.side === 'BUY'
            ? Decimal.min(childPrice, limit)
            : Decimal.max(childPrice, limit);
    }
    const input: OrderRequestInput =
      childPrice === undefined
        ? { instrumentId: instrument.id, side: this.order.side, type: 'MARKET', quantity: rounded }
        : {
            instrumentId: instrument.id,
            side: this.order.side,
            type: 'LIMIT',
            quantity: rounded,
            price: instrument.roundPrice(childPrice, this.order.side === 'BUY' ? 'down' : 'up'),
          };
    const now = this.context.now();
    const id = this.context.submitChild(input);
    // Booked before any report about it can arrive, so the remaining quantity counts it now.
    parent.addChild(id, rounded, now);
    return id;
  }

  /**
   * Sends `quantity` as a market child when `asMarket` is true (a limit at the parent's limit,
   * when it has one), else as a limit `limitOffsetBps` from the mid or the last price. Sends
   * nothing while no price is known and the parent has no limit.
   */
  protected sendPriced(
    quantity: Decimal,
    asMarket: boolean,
    limitOffsetBps: number,
  ): ClientOrderId | undefined {
    if (asMarket) return this.sendChild(quantity);
    const price = limitPriceFor(this.order.side, this.market, limitOffsetBps);
    if (price === undefined && this.order.limitPrice === undefined) return undefined;
    return this.sendChild(quantity, price);
  }

  /** Cancels the children still live, for example a limit child a new slice replaces. */
  protected cancelLiveChildren(): void {
    this.#cancelLiveChildren();
  }

  /** Ends the parent as STOPPED with `reason` and cancels its live children. */
  protected stop(reason: string): void {
    if (this.isActive) this.#stop(reason);
  }

  /** The parent's book, for subclasses. */
  protected get book(): ParentOrder {
    return this.#parent!;
  }

  /** The quantity the schedule wants done by now minus what is filled or working, at least 0. */
  protected shortfall(target: Decimal): Decimal {
    const parent = this.#parent!;
    const behind = target.minus(parent.filledQuantity).minus(parent.workingQuantity);
    return behind.gt(0) ? behind : ZERO;
  }

  #begin(nowMs: number): void {
    if (this.#begun) return;
    this.#begun = true;
    this.#parent!.start(nowMs);
    this.begin(nowMs);
  }

  #stop(reason: string): void {
    this.#parent!.end('STOPPED', this.context.now(), reason);
    this.#cancelLiveChildren();
    this.#reportEnd();
  }

  #addToInterval(size: number): void {
    const price = this.market.last;
    if (Number.isNaN(price)) return;
    if (Number.isNaN(this.#arrival)) this.#arrival = price;
    this.#intervalVolume += size;
    this.#intervalNotional += size * price;
  }

  // Tells the host once that the parent ended, with its costs against the market it saw.
  #reportEnd(): void {
    const parent = this.#parent;
    const context = this.#context;
    if (parent === undefined || context === undefined || this.#endReported) return;
    const status = parent.status;
    if (status === 'PENDING' || status === 'WORKING') return;
    this.#endReported = true;
    if (context.ended === undefined) return;
    const { baseAsset, quoteAsset } = context.instrument;
    const filled = parent.averageFillPrice !== undefined && !Number.isNaN(this.#arrival);
    const endMs = parent.endTimeMs ?? context.now();
    const event: ExecutionEndedEvent = {
      type: 'execution.ended',
      parentClientOrderId: parent.parentClientOrderId,
      algorithm: parent.algorithm,
      instrumentId: parent.instrumentId,
      side: parent.side,
      status,
      reason: parent.reason ?? null,
      quantity: parent.quantity.toString(),
      filledQuantity: parent.filledQuantity.toString(),
      startTimeMs: parent.startTimeMs ?? endMs,
      endTimeMs: endMs,
      costs: filled
        ? costsOf(
            parent,
            {
              arrival: this.#arrival,
              close: this.market.last,
              volume: this.#intervalVolume,
              notional: this.#intervalNotional,
            },
            { baseAsset, quoteAsset },
            this.order.estimatedImpactBps ?? null,
          )
        : null,
    };
    context.ended(Object.freeze(event));
  }

  #cancelLiveChildren(): void {
    const parent = this.#parent;
    if (parent === undefined) return;
    for (const id of parent.liveChildIds()) this.context.cancelChild(id);
  }
}
