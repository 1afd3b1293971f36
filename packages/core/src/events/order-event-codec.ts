import * as z from 'zod';
import { type Decimal, formatDecimal, toDecimal } from '../decimal.js';
import { QTP_ERROR_CODES } from '../errors.js';
import type { ClientOrderId, InstrumentId } from '../identifiers.js';
import { fillJsonSchema, fillToJSON, parseFill } from '../orders/fill.js';
import {
  orderRequestJsonSchema,
  orderRequestToJSON,
  parseOrderRequest,
} from '../orders/order-request.js';
import { ORDER_STATUSES } from '../orders/order-types.js';
import { decimalStringSchema, parseWith } from '../zod-errors.js';
import { ORDER_ANOMALY_KINDS } from './order-anomaly.js';
import type { OrderDenial } from './order-denied.js';
import { ORDER_STATUS_TOPICS, type OrderEvent, type OrderEventFields } from './order-events.js';

const fieldsShape = {
  clientOrderId: z.string().min(1),
  instrumentId: z.string().min(1),
  status: z.enum(ORDER_STATUSES),
  stateUnknown: z.boolean(),
  tags: z.array(z.string()),
  filledQuantity: decimalStringSchema,
  leavesQuantity: decimalStringSchema,
  averageFillPrice: decimalStringSchema.exactOptional(),
  venueOrderId: z.string().exactOptional(),
  timeMs: z.number().int().nonnegative(),
};

const denialSchema = z.strictObject({
  source: z.enum(['rules', 'gate', 'engine']),
  code: z.string().min(1),
  message: z.string(),
  field: z.string().exactOptional(),
  configured: z.string().exactOptional(),
  attempted: z.string().exactOptional(),
});

/** The zod schema of the JSON form of an {@link OrderEvent}; unknown keys are refused. */
const orderEventJsonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.enum(ORDER_STATUS_TOPICS), ...fieldsShape }),
  z.strictObject({
    type: z.enum(['order.rejected', 'order.stateUnknown', 'order.cancelRejected']),
    ...fieldsShape,
    reason: z.string(),
  }),
  z.strictObject({ type: z.literal('order.fill'), ...fieldsShape, fill: fillJsonSchema }),
  z.strictObject({
    type: z.literal('order.denied'),
    clientOrderId: z.string().min(1),
    instrumentId: z.string().min(1),
    tags: z.array(z.string()),
    request: orderRequestJsonSchema,
    denial: denialSchema,
    timeMs: z.number().int().nonnegative(),
  }),
  z.strictObject({
    type: z.literal('order.anomaly'),
    kind: z.enum(ORDER_ANOMALY_KINDS as [string, ...string[]]),
    clientOrderId: z.string().min(1),
    instrumentId: z.string().min(1),
    tradeId: z.string().exactOptional(),
    errorCode: z.enum(QTP_ERROR_CODES),
    message: z.string(),
    timeMs: z.number().int().nonnegative(),
  }),
]);

/** The JSON form of an {@link OrderEvent}: decimals as strings, a fill and a request as their JSON. */
export type OrderEventJson = z.output<typeof orderEventJsonSchema>;

function fieldsToJSON(event: OrderEventFields) {
  return {
    clientOrderId: event.clientOrderId as string,
    instrumentId: event.instrumentId as string,
    status: event.status,
    stateUnknown: event.stateUnknown,
    tags: [...event.tags],
    filledQuantity: formatDecimal(event.filledQuantity),
    leavesQuantity: formatDecimal(event.leavesQuantity),
    ...(event.averageFillPrice === undefined
      ? {}
      : { averageFillPrice: formatDecimal(event.averageFillPrice) }),
    ...(event.venueOrderId === undefined ? {} : { venueOrderId: event.venueOrderId }),
    timeMs: event.timeMs,
  };
}

/**
 * Returns the JSON form of an order event, as a message broker or a journal carries it: decimals
 * as strings, never JSON numbers.
 *
 * @example
 * ```ts
 * import { orderEventToJSON, parseOrderEvent } from '@qtp/core';
 * const wire = JSON.stringify(orderEventToJSON(event));
 * const copy = parseOrderEvent(JSON.parse(wire));
 * ```
 */
export function orderEventToJSON(event: OrderEvent): OrderEventJson {
  switch (event.type) {
    case 'order.denied':
      return {
        type: event.type,
        clientOrderId: event.clientOrderId,
        instrumentId: event.instrumentId,
        tags: [...event.tags],
        request: orderRequestToJSON(event.request),
        denial: { ...event.denial },
        timeMs: event.timeMs,
      };
    case 'order.anomaly':
      return {
        type: event.type,
        kind: event.kind,
        clientOrderId: event.clientOrderId,
        instrumentId: event.instrumentId,
        ...(event.tradeId === undefined ? {} : { tradeId: event.tradeId }),
        errorCode: event.errorCode,
        message: event.message,
        timeMs: event.timeMs,
      };
    case 'order.fill':
      return { type: event.type, ...fieldsToJSON(event), fill: fillToJSON(event.fill) };
    case 'order.rejected':
    case 'order.stateUnknown':
    case 'order.cancelRejected':
      return { type: event.type, ...fieldsToJSON(event), reason: event.reason };
    default:
      return { type: event.type, ...fieldsToJSON(event) };
  }
}

function decimal(text: string, field: string): Decimal {
  return toDecimal(text, field);
}

/**
 * Parses the JSON form of an order event, checking it with zod: a field of the wrong type, a
 * decimal that is not a decimal string or a key the event does not have is refused.
 *
 * @throws `ValidationError` naming each malformed field by its path
 * @example
 * ```ts
 * import { parseOrderEvent } from '@qtp/core';
 * const event = parseOrderEvent(JSON.parse(message));
 * if (event.type === 'order.fill') console.log(event.fill.price.toString());
 * ```
 */
export function parseOrderEvent(input: unknown): OrderEvent {
  const json = parseWith(orderEventJsonSchema, input);
  const clientOrderId = json.clientOrderId as ClientOrderId;
  const instrumentId = json.instrumentId as InstrumentId;
  if (json.type === 'order.denied') {
    const denial: OrderDenial = json.denial;
    return Object.freeze({
      type: json.type,
      clientOrderId,
      instrumentId,
      tags: Object.freeze(json.tags),
      request: parseOrderRequest(json.request),
      denial: Object.freeze(denial),
      timeMs: json.timeMs,
    });
  }
  if (json.type === 'order.anomaly') {
    return Object.freeze({
      type: json.type,
      kind: json.kind as (typeof ORDER_ANOMALY_KINDS)[number],
      clientOrderId,
      instrumentId,
      ...(json.tradeId === undefined ? {} : { tradeId: json.tradeId }),
      errorCode: json.errorCode,
      message: json.message,
      timeMs: json.timeMs,
    });
  }
  const fields: OrderEventFields = {
    clientOrderId,
    instrumentId,
    status: json.status,
    stateUnknown: json.stateUnknown,
    tags: Object.freeze(json.tags),
    filledQuantity: decimal(json.filledQuantity, 'filledQuantity'),
    leavesQuantity: decimal(json.leavesQuantity, 'leavesQuantity'),
    ...(json.averageFillPrice === undefined
      ? {}
      : { averageFillPrice: decimal(json.averageFillPrice, 'averageFillPrice') }),
    ...(json.venueOrderId === undefined ? {} : { venueOrderId: json.venueOrderId }),
    timeMs: json.timeMs,
  };
  switch (json.type) {
    case 'order.fill':
      return Object.freeze({ type: json.type, ...fields, fill: parseFill(json.fill) });
    case 'order.rejected':
    case 'order.stateUnknown':
    case 'order.cancelRejected':
      return Object.freeze({ type: json.type, ...fields, reason: json.reason });
    default:
      return Object.freeze({ type: json.type, ...fields }) as OrderEvent;
  }
}
