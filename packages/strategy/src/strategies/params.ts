import { Decimal, decimalStringSchema, type InstrumentId, parseInstrumentId } from '@qtp/core';
import { z } from 'zod';

// Internal: parameter schemas the example strategies share.

/** An instrument id written `SYMBOL.VENUE`. */
export const instrumentIdParam = z.string().transform((text, context): InstrumentId => {
  try {
    return parseInstrumentId(text);
  } catch {
    context.addIssue({ code: 'custom', message: 'be written SYMBOL.VENUE', input: text });
    return z.NEVER;
  }
});

/** A booked quantity: a decimal string greater than 0, never a JSON number. */
export const quantityParam = decimalStringSchema.refine((text) => new Decimal(text).gt(0), {
  message: 'be greater than 0',
});

/** A window length in bars. */
export const periodParam = (min: number, fallback: number) => z.int().min(min).default(fallback);
