import * as z from 'zod';

const dec = z.string();
const long = z.number().int();

/**
 * `executionReport`: one per order state change or fill (keys are case-sensitive).
 * @example
 * ```ts
 * import { executionReportSchema } from '@qtp/exchange/binance-server';
 * const payload = executionReportSchema.parse(JSON.parse(text));
 * ```
 */
export const executionReportSchema = z.looseObject({
  e: z.literal('executionReport'),
  E: long,
  s: z.string(),
  c: z.string(),
  S: z.string(),
  o: z.string(),
  f: z.string(),
  q: dec,
  p: dec,
  P: dec,
  F: dec,
  g: long,
  C: z.string(),
  x: z.string(),
  X: z.string(),
  r: z.string(),
  i: long,
  l: dec,
  z: dec,
  L: dec,
  n: dec,
  N: z.string().nullable(),
  T: long,
  t: long,
  I: long,
  w: z.boolean(),
  m: z.boolean(),
  M: z.boolean(),
  O: long,
  Z: dec,
  Y: dec,
  Q: dec,
  W: long.optional(),
  V: z.string(),
  d: long.optional(),
  D: long.optional(),
  eR: z.string().optional(),
});

/**
 * `outboundAccountPosition`: absolute balances of the assets that may have changed.
 * @example
 * ```ts
 * import { outboundAccountPositionSchema } from '@qtp/exchange/binance-server';
 * const payload = outboundAccountPositionSchema.parse(JSON.parse(text));
 * ```
 */
export const outboundAccountPositionSchema = z.object({
  e: z.literal('outboundAccountPosition'),
  E: long,
  u: long,
  B: z.array(z.object({ a: z.string(), f: dec, l: dec })),
});

/**
 * `balanceUpdate`: a deposit, withdrawal or transfer (`d` is the signed delta).
 * @example
 * ```ts
 * import { balanceUpdateSchema } from '@qtp/exchange/binance-server';
 * const payload = balanceUpdateSchema.parse(JSON.parse(text));
 * ```
 */
export const balanceUpdateSchema = z.object({
  e: z.literal('balanceUpdate'),
  E: long,
  a: z.string(),
  d: dec,
  T: long,
});

/**
 * `eventStreamTerminated`: the subscription ended.
 * @example
 * ```ts
 * import { eventStreamTerminatedSchema } from '@qtp/exchange/binance-server';
 * const payload = eventStreamTerminatedSchema.parse(JSON.parse(text));
 * ```
 */
export const eventStreamTerminatedSchema = z.object({
  e: z.literal('eventStreamTerminated'),
  E: long,
});

/**
 * `listStatus`: an order list started, changed or ended, sent beside its legs' execution reports.
 * @example
 * ```ts
 * import { listStatusSchema } from '@qtp/exchange/binance-server';
 * const payload = listStatusSchema.parse(JSON.parse(text));
 * ```
 */
export const listStatusSchema = z.looseObject({
  e: z.literal('listStatus'),
  E: long,
  s: z.string(),
  g: long,
  c: z.string(),
  l: z.string(),
  L: z.string(),
  r: z.string(),
  C: z.string(),
  T: long,
  O: z.array(z.object({ s: z.string(), i: long, c: z.string() })),
});

/**
 * Any user data event, by its `e`.
 * @example
 * ```ts
 * import { userDataEventSchema } from '@qtp/exchange/binance-server';
 * const payload = userDataEventSchema.parse(JSON.parse(text));
 * ```
 */
export const userDataEventSchema = z.discriminatedUnion('e', [
  executionReportSchema,
  outboundAccountPositionSchema,
  balanceUpdateSchema,
  eventStreamTerminatedSchema,
  listStatusSchema,
]);

/** An execution report. */
export type ExecutionReportJson = z.infer<typeof executionReportSchema>;
/** An account position event. */
export type OutboundAccountPositionJson = z.infer<typeof outboundAccountPositionSchema>;
/** A balance update. */
export type BalanceUpdateJson = z.infer<typeof balanceUpdateSchema>;
/** An order list's status event. */
export type ListStatusJson = z.infer<typeof listStatusSchema>;
/** The end of a subscription. */
export type EventStreamTerminatedJson = z.infer<typeof eventStreamTerminatedSchema>;
/** Any user data event. */
export type UserDataEventJson = z.infer<typeof userDataEventSchema>;
