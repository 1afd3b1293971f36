import * as z from 'zod';
import { decimalStringSchema } from '../zod-errors.js';
import { type FillJson, fillJsonSchema } from './fill.js';
import {
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  type OrderSide,
  type OrderStatus,
  type OrderType,
  TIMES_IN_FORCE,
  type TimeInForce,
} from './order-types.js';

/** The JSON form of an `Order` for journaling and recovery: decimals as strings. */
export interface OrderSnapshot {
  /** The client order id. */
  clientOrderId: string;
  /** The venue's order id, once known. */
  venueOrderId?: string;
  /** The instrument id, `SYMBOL.VENUE`. */
  instrumentId: string;
  /** Buy or sell. */
  side: OrderSide;
  /** How the order executes. */
  type: OrderType;
  /** How long the order stays working. */
  timeInForce: TimeInForce;
  /** When a GTD order expires, in epoch milliseconds. */
  expireTimeMs?: number;
  /** The quantity as a decimal string. */
  quantity: string;
  /** The limit price as a decimal string. */
  price?: string;
  /** The trigger price as a decimal string. */
  triggerPrice?: string;
  /** Whether the order may only reduce a position. */
  reduceOnly: boolean;
  /** Free labels. */
  tags: string[];
  /** The current status. */
  status: OrderStatus;
  /** While PENDING_CANCEL: the status to return to if the cancel is refused. */
  statusBeforeCancel?: OrderStatus;
  /** Why the order was rejected, when it was. */
  rejectReason?: string;
  /** The filled quantity, derived from `fills`; kept for readers of the journal. */
  filledQuantity: string;
  /** The average fill price, derived from `fills`; absent before the first fill. */
  averageFillPrice?: string;
  /** When the order was created, in epoch milliseconds. */
  createdTimeMs: number;
  /** When the order last changed, in epoch milliseconds. */
  updatedTimeMs: number;
  /** Every fill applied, in the order applied. */
  fills: FillJson[];
}

const statusSchema = z.enum(ORDER_STATUSES);

/** The zod schema of {@link OrderSnapshot}. */
export const orderSnapshotSchema: z.ZodType<OrderSnapshot> = z.strictObject({
  clientOrderId: z.string(),
  venueOrderId: z.string().min(1).exactOptional(),
  instrumentId: z.string(),
  side: z.enum(ORDER_SIDES),
  type: z.enum(ORDER_TYPES),
  timeInForce: z.enum(TIMES_IN_FORCE),
  expireTimeMs: z.number().int().nonnegative().exactOptional(),
  quantity: decimalStringSchema,
  price: decimalStringSchema.exactOptional(),
  triggerPrice: decimalStringSchema.exactOptional(),
  reduceOnly: z.boolean(),
  tags: z.array(z.string()),
  status: statusSchema,
  statusBeforeCancel: statusSchema.exactOptional(),
  rejectReason: z.string().exactOptional(),
  filledQuantity: decimalStringSchema,
  averageFillPrice: decimalStringSchema.exactOptional(),
  createdTimeMs: z.number().int().nonnegative(),
  updatedTimeMs: z.number().int().nonnegative(),
  fills: z.array(fillJsonSchema),
});
