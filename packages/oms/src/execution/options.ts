import { Decimal, type InstrumentId, isDecimal, parseWith } from '@qtp/core';
import * as z from 'zod';

// A decimal given as a string, a finite number or a Decimal, made a Decimal; the string form
// keeps every digit.
const decimalInput = z
  .union([
    z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, 'be a decimal string'),
    z.number().refine(Number.isFinite, 'must be finite'),
    z.custom<Decimal>((value) => isDecimal(value), 'must be a decimal'),
  ])
  .transform((value) => (isDecimal(value) ? value : new Decimal(value)));

/** A decimal greater than 0. */
export const positiveDecimal = decimalInput.refine(
  (value) => value.gt(0),
  'must be greater than 0',
);

/** A whole number of epoch milliseconds. */
export const timeMs = z.int().nonnegative();

/** A share of a quantity or an interval used as random jitter: 0 (none) to 0.5. */
export const jitter = z.number().min(0).max(0.5);

/** The fields every algorithm's options share. */
export const parentShape = {
  instrumentId: z
    .string()
    .min(1)
    .transform((value) => value as InstrumentId),
  side: z.enum(['BUY', 'SELL']),
  quantity: positiveDecimal,
  limitPrice: positiveDecimal.optional(),
  maxRejections: z.int().min(1).max(1000).optional(),
  estimatedImpactBps: z.number().refine(Number.isFinite, 'must be finite').optional(),
};

/** How the schedule-driven algorithms price their children. */
export const childPricingShape = {
  /** MARKET children, or LIMIT children priced off the market. */
  childType: z.enum(['MARKET', 'LIMIT']).default('MARKET'),
  /**
   * For LIMIT children: the price's distance from the mid (or last) in basis points, positive
   * towards the other side of the book (more likely to fill).
   */
  limitOffsetBps: z.number().min(-10_000).max(10_000).default(0),
  /** Send what is left as a market order when the window ends (a limit at `limitPrice`, if set). */
  finishWithMarket: z.boolean().default(true),
};

/** Parses `input` with `schema`, naming the algorithm in the error's field. */
export function parseAlgorithmOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  return parseWith(schema, input);
}
