import * as z from 'zod';
import type { InstrumentId } from '../identifiers.js';
import type { ParentOrderStatus } from '../orders/execution.js';
import type { OrderSide } from '../orders/order-types.js';
import { decimalStringSchema, parseWith } from '../zod-errors.js';

/**
 * The transaction-cost analysis of one parent order. Prices are quote units, quantities base
 * units, costs in basis points and positive when they hurt: a buy that paid more than the
 * reference, or a sell that got less.
 */
export interface TransactionCostReport {
  /** The parent's id. */
  readonly parentClientOrderId: string;
  /** The algorithm's name. */
  readonly algorithm: string;
  /** The quantity filled. */
  readonly filledQuantity: number;
  /** The average fill price. */
  readonly averagePrice: number;
  /** The price when the parent started: the last trade (or bar close) at or before its start. */
  readonly arrivalPrice: number;
  /**
   * The market's volume-weighted price over the parent's life: the trades from its start to its
   * end for `transactionCosts`; for the `execution.ended` event, the trades (or bars) its
   * algorithm saw while it worked, from the one it began on.
   */
  readonly intervalVwap: number;
  /** The last trade price (or bar close) at or before the parent's end. */
  readonly closePrice: number;
  /**
   * Implementation shortfall in basis points of the arrival price: what the fills cost against
   * trading everything at the arrival price, fees included.
   */
  readonly implementationShortfallBps: number;
  /** Slippage of the average price against the interval VWAP, in basis points of it. */
  readonly slippageVsVwapBps: number;
  /** Slippage of the average price against the close, in basis points of it. */
  readonly slippageVsCloseBps: number;
  /** The filled quantity as a share of the market volume over the interval. */
  readonly participation: number;
  /** The fees paid, in the quote asset: fees in the base asset count at the average price. */
  readonly fees: number;
  /**
   * What the impact model given to the analysis expected the fills to cost, in basis points of
   * the arrival price, beside what happened (`implementationShortfallBps`); `null` without one.
   */
  readonly estimatedImpactBps: number | null;
}

/** The bus topic of {@link ExecutionEndedEvent}. */
export const EXECUTION_ENDED_TOPIC = 'execution.ended';

/**
 * Published on `execution.ended` when a parent order ends (filled, canceled or stopped), with its
 * transaction-cost analysis, so a dashboard, a log or another process can follow executions.
 *
 * @example
 * ```ts
 * import { type ExecutionEndedEvent, parseExecutionEndedEvent } from '@qtp/core';
 * bus.subscribe('execution.ended', (event: ExecutionEndedEvent) => {
 *   console.log(event.parentClientOrderId, event.costs?.implementationShortfallBps);
 * });
 * const copy = parseExecutionEndedEvent(JSON.parse(JSON.stringify(event)));
 * ```
 */
export interface ExecutionEndedEvent {
  /** Always `execution.ended`. */
  readonly type: 'execution.ended';
  /** The parent's id; its children carry it in the tag `parent:<id>`. */
  readonly parentClientOrderId: string;
  /** The algorithm's name, such as `TWAP`. */
  readonly algorithm: string;
  /** The instrument traded. */
  readonly instrumentId: InstrumentId;
  /** Buy or sell. */
  readonly side: OrderSide;
  /** How the parent ended. */
  readonly status: Exclude<ParentOrderStatus, 'PENDING' | 'WORKING'>;
  /** Why it ended before filling, or `null`. */
  readonly reason: string | null;
  /** The parent's quantity, a decimal string. */
  readonly quantity: string;
  /** What its children filled, a decimal string. */
  readonly filledQuantity: string;
  /** When it started, epoch milliseconds. */
  readonly startTimeMs: number;
  /** When it ended, epoch milliseconds. */
  readonly endTimeMs: number;
  /** The cost analysis; `null` when nothing filled. */
  readonly costs: TransactionCostReport | null;
}

const finite = z.number().refine(Number.isFinite, { message: 'be a finite number' });

const costsSchema = z.strictObject({
  parentClientOrderId: z.string().min(1),
  algorithm: z.string().min(1),
  filledQuantity: finite,
  averagePrice: finite,
  arrivalPrice: finite,
  intervalVwap: finite,
  closePrice: finite,
  implementationShortfallBps: finite,
  slippageVsVwapBps: finite,
  slippageVsCloseBps: finite,
  participation: finite,
  fees: finite,
  estimatedImpactBps: finite.nullable(),
});

const executionEndedSchema = z.strictObject({
  type: z.literal('execution.ended'),
  parentClientOrderId: z.string().min(1),
  algorithm: z.string().min(1),
  instrumentId: z.string().min(1),
  side: z.enum(['BUY', 'SELL']),
  status: z.enum(['FILLED', 'CANCELED', 'STOPPED']),
  reason: z.string().nullable(),
  quantity: decimalStringSchema,
  filledQuantity: decimalStringSchema,
  startTimeMs: z.number().int().nonnegative(),
  endTimeMs: z.number().int().nonnegative(),
  costs: costsSchema.nullable(),
});

/**
 * Checks a plain JSON value (for example one that crossed a process boundary) and returns it as
 * an {@link ExecutionEndedEvent}. The event is plain JSON already: `JSON.stringify` is its
 * encoder.
 *
 * @throws `ValidationError` naming the field and the rule when the value is not one
 * @example
 * ```ts
 * import { parseExecutionEndedEvent } from '@qtp/core';
 * const event = parseExecutionEndedEvent(JSON.parse(message));
 * ```
 */
export function parseExecutionEndedEvent(value: unknown): ExecutionEndedEvent {
  return parseWith(executionEndedSchema, value) as ExecutionEndedEvent;
}
