import type { Decimal } from '../decimal.js';
import type { ExecutionEndedEvent } from '../events/execution-ended.js';
import type { MarketDataEvent } from '../events/market-data-events.js';
import type { ClientOrderId, InstrumentId } from '../identifiers.js';
import type { Instrument } from '../instrument.js';
import type { Fill } from './fill.js';
import type { OrderReport } from './order-gateway.js';
import type { OrderRequestInput } from './order-request.js';
import type { OrderSide } from './order-types.js';

/**
 * What an execution algorithm may do: read the clock, send and cancel child orders (each one
 * goes through the order manager's rules and pre-trade gate like any order) and ask to be woken
 * at a time. A strategy supplies it (`Strategy.execute`), so the same algorithm runs in a
 * backtest, on paper and live.
 */
export interface ExecutionContext {
  /** The instrument traded, with its lot size, tick and minimum quantity. */
  readonly instrument: Instrument;
  /** Returns the clock time, epoch milliseconds. */
  now(): number;
  /**
   * Sends a child order of the parent and returns its client order id; the child is tagged
   * with the parent's id. A refused child arrives as a REJECTED update, never as an exception.
   */
  submitChild(input: OrderRequestInput): ClientOrderId;
  /** Asks the venue to cancel a child order. */
  cancelChild(clientOrderId: ClientOrderId): void;
  /** Calls the algorithm's `onTimer` at `atMs` (or at once, when `atMs` has passed). */
  wakeAt(atMs: number): void;
  /**
   * Called once when the parent ends (filled, canceled or stopped), with its cost analysis; a
   * strategy publishes the event on its bus as `execution.ended`. Optional: a host that does not
   * follow executions leaves it out.
   */
  ended?(event: ExecutionEndedEvent): void;
}

/** Where a parent order stands; its children decide it. */
export type ParentOrderStatus = 'PENDING' | 'WORKING' | 'FILLED' | 'CANCELED' | 'STOPPED';

/** A child order as its parent sees it. */
export interface ChildOrderView {
  /** The child's client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The id of the parent that sent it; the order also carries it in the tag `parent:<id>`. */
  readonly parentClientOrderId: string;
  /** The quantity the child asked for. */
  readonly quantity: Decimal;
  /** What its fills add up to. */
  readonly filledQuantity: Decimal;
  /** The child's last known status. */
  readonly status: OrderReport['status'];
  /** When it was sent, epoch milliseconds. */
  readonly sentTimeMs: number;
}

/**
 * A parent order: the quantity an execution algorithm is to trade, and what its children have
 * done so far. Filled quantity and average price come from the children's fills, counted once
 * each by trade id.
 */
export interface ParentOrderView {
  /** The parent's id; every child carries it in the tag `parent:<id>`. */
  readonly parentClientOrderId: string;
  /** The algorithm's name, such as `TWAP`. */
  readonly algorithm: string;
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** The quantity to trade. */
  readonly quantity: Decimal;
  /** Where the parent stands. */
  readonly status: ParentOrderStatus;
  /** What the children's fills add up to; never more than `quantity`. */
  readonly filledQuantity: Decimal;
  /** The quantity of the children still working (sent, not filled, not finished). */
  readonly workingQuantity: Decimal;
  /** The quantity neither filled nor working. */
  readonly remainingQuantity: Decimal;
  /** The quantity-weighted average price of the children's fills; undefined before the first. */
  readonly averageFillPrice: Decimal | undefined;
  /** The fees the children paid, by asset. */
  readonly fees: Readonly<Record<string, Decimal>>;
  /** Every child, in the order sent. */
  readonly children: readonly ChildOrderView[];
  /** When the algorithm started, epoch milliseconds; undefined before. */
  readonly startTimeMs: number | undefined;
  /** When it ended (filled, canceled or stopped), epoch milliseconds; undefined before. */
  readonly endTimeMs: number | undefined;
  /** Why it stopped, when it stopped before filling. */
  readonly reason: string | undefined;
}

/**
 * An execution algorithm: it owns one parent order and works it through child orders. The
 * host calls `start` once, then passes it the market data of its instrument, the updates and
 * fills of its children, and the wake-ups it asked for; `cancel` stops it and cancels its
 * working children.
 */
export interface ExecutionAlgorithm {
  /** The instrument it trades. */
  readonly instrumentId: InstrumentId;
  /** The parent order it works; available once started. */
  readonly parent: ParentOrderView;
  /** Starts the algorithm with its context. */
  start(context: ExecutionContext, parentClientOrderId: string): void;
  /** A market data event of any instrument; the algorithm ignores other instruments'. */
  onMarketData(event: MarketDataEvent): void;
  /** A status update of one of its children. */
  onChildUpdate(report: OrderReport): void;
  /** A fill of one of its children. */
  onChildFill(fill: Fill): void;
  /** A wake-up it asked for with `wakeAt`. */
  onTimer(nowMs: number): void;
  /** Stops the algorithm and cancels its working children; `reason` is kept on the parent. */
  cancel(reason?: string): void;
}
