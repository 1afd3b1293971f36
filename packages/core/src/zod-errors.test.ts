import {
  decimalStringSchema,
  fromZodError,
  isQtpError,
  parseWith,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function validationError(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return error as ValidationError;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const schema = z.strictObject({
  venue: z.string(),
  levels: z.array(z.object({ price: decimalStringSchema, size: z.number().positive() })),
  side: z.enum(['BUY', 'SELL']),
});

describe('fromZodError and parseWith', () => {
  it('returns the parsed value when the input is valid', () => {
    const input = { venue: 'BINANCE', levels: [{ price: '1.5', size: 2 }], side: 'BUY' };
    expect(parseWith(schema, input)).toEqual(input);
  });

  it('lists every issue with its dotted path, its rule and the value', () => {
    const error = validationError(() =>
      parseWith(schema, {
        venue: 7,
        levels: [
          { price: '1.5', size: 1 },
          { price: 'x', size: -1 },
        ],
        side: 'HOLD',
      }),
    );
    expect(error.issues).toEqual([
      { field: 'venue', rule: 'be a string', value: 7 },
      { field: 'levels[1].price', rule: 'be a decimal string such as "0.001"', value: 'x' },
      { field: 'levels[1].size', rule: 'be more than 0', value: -1 },
      { field: 'side', rule: 'be one of "BUY", "SELL"', value: 'HOLD' },
    ]);
  });

  it('says a missing field must be present', () => {
    const error = validationError(() => parseWith(schema, { levels: [], side: 'BUY' }));
    expect(error.message).toBe('venue: must be present (a string), was undefined');
  });

  it('names unknown keys at the root', () => {
    const error = validationError(() =>
      parseWith(schema, { venue: 'X', levels: [], side: 'BUY', extra: 1 }),
    );
    expect([error.field, error.rule]).toEqual(['(root)', 'not have the key "extra"']);
  });

  it("words a pattern's rule with the schema's own message when it has one", () => {
    const named = z.strictObject({
      code: z.string().regex(/^[A-Z]+$/, 'be upper-case letters'),
      amount: z.string().regex(/^\d+$/, 'must be whole digits'),
      note: z.string().regex(/^[a-z]*$/),
    });
    const error = validationError(() =>
      parseWith(named, { code: 'abc', amount: '1.5', note: 'X' }),
    );
    expect(error.issues).toEqual([
      { field: 'code', rule: 'be upper-case letters', value: 'abc' },
      { field: 'amount', rule: 'be whole digits', value: '1.5' },
      { field: 'note', rule: 'match the pattern /^[a-z]*$/', value: 'X' },
    ]);
  });

  it('keeps the zod error as the cause', () => {
    const result = schema.safeParse({});
    if (result.success) throw new Error('expected a failure');
    const error = fromZodError(result.error);
    expect(error.cause).toBe(result.error);
    expect(error.issues).toHaveLength(result.error.issues.length);
  });
});
