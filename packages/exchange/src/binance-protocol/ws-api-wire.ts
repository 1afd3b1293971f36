import * as z from 'zod';
import { binanceErrorSchema, rateLimitSchema } from './rest-wire.js';

const requestId = z.union([z.string(), z.number(), z.null()]);

/**
 * A WebSocket API request frame.
 * @example
 * ```ts
 * import { wsApiRequestSchema } from '@qtp/exchange/binance-server';
 * const payload = wsApiRequestSchema.parse(JSON.parse(text));
 * ```
 */
export const wsApiRequestSchema = z.object({
  id: requestId,
  method: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/**
 * A WebSocket API response frame: `result` on success, `error` otherwise.
 * @example
 * ```ts
 * import { wsApiResponseSchema } from '@qtp/exchange/binance-server';
 * const payload = wsApiResponseSchema.parse(JSON.parse(text));
 * ```
 */
export const wsApiResponseSchema = z.object({
  id: requestId,
  status: z.number().int(),
  result: z.unknown().optional(),
  error: binanceErrorSchema.extend({ data: z.unknown().optional() }).optional(),
  rateLimits: z.array(rateLimitSchema).optional(),
});

/**
 * A user data frame on the WebSocket API: `{subscriptionId, event}`, or `{event}` for connection events.
 * @example
 * ```ts
 * import { wsApiEventFrameSchema } from '@qtp/exchange/binance-server';
 * const payload = wsApiEventFrameSchema.parse(JSON.parse(text));
 * ```
 */
export const wsApiEventFrameSchema = z.object({
  subscriptionId: z.number().int().optional(),
  event: z.looseObject({ e: z.string() }),
});

/** A WebSocket API request. */
export type WsApiRequestJson = z.infer<typeof wsApiRequestSchema>;
/** A WebSocket API response. */
export type WsApiResponseJson = z.infer<typeof wsApiResponseSchema>;
/** A WebSocket API event frame. */
export type WsApiEventFrameJson = z.infer<typeof wsApiEventFrameSchema>;
