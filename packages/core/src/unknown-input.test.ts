import {
  createBar,
  createBookDelta,
  createBookSnapshot,
  createFill,
  createMoney,
  createOrderRequest,
  createQuoteTick,
  createTradeTick,
  Instrument,
  isQtpError,
  parseFill,
  parseInstrument,
  parseInstrumentId,
  parseMoney,
  parseOrderRequest,
  toDecimal,
} from '@qtp/core';
import { loadConfig } from '@qtp/core/config';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

// Each entry takes one unknown value where the function expects its input, as untyped code or a
// bad message would pass it.
const ENTRIES: Record<string, (value: unknown) => unknown> = {
  createBar: (value) => createBar(value as never),
  createBookDelta: (value) => createBookDelta(value as never),
  createBookSnapshot: (value) => createBookSnapshot(value as never),
  createFill: (value) => createFill(value as never),
  createMoney: (value) => createMoney(value as never, value as never),
  createOrderRequest: (value) => createOrderRequest(value as never),
  createQuoteTick: (value) => createQuoteTick(value as never),
  createTradeTick: (value) => createTradeTick(value as never),
  Instrument: (value) => new Instrument(value as never),
  loadConfig: (value) => loadConfig(value as never),
  'loadConfig options': (value) =>
    loadConfig({ schema: z.object({ a: z.string() }), overrides: value as never }),
  parseFill: (value) => parseFill(value),
  parseInstrument: (value) => parseInstrument(value),
  parseInstrumentId: (value) => parseInstrumentId(value as never),
  parseMoney: (value) => parseMoney(value),
  parseOrderRequest: (value) => parseOrderRequest(value),
  toDecimal: (value) => toDecimal(value as never),
};

function throwsOnlyQtpErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!isQtpError(error)) throw error;
  }
}

describe('unknown input', () => {
  it.each(Object.keys(ENTRIES))('%s throws a QtpError for null, a number and a string', (name) => {
    const entry = ENTRIES[name]!;
    for (const value of [null, undefined, 42, 'text', [], true]) {
      try {
        entry(value);
        throw new Error(`${name} accepted ${String(value)}`);
      } catch (error) {
        expect(isQtpError(error, 'VALIDATION')).toBe(true);
      }
    }
  });

  it('every parse and create function throws only QtpErrors for arbitrary values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(ENTRIES)), fc.anything(), (name, value) => {
        throwsOnlyQtpErrors(() => ENTRIES[name]!(value));
      }),
      { numRuns: 2_000 },
    );
  });
});
