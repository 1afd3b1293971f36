import { isQtpError, SimulatedClock } from '@qtp/core';
import { createEnvelope, decodeEnvelope, encodeEnvelope, envelopeSchema } from '@qtp/messaging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });

describe('envelope', () => {
  it('stamps the clock time, a fresh id and attempt 1', () => {
    const a = createEnvelope(clock, { type: 'ping', payload: { n: 1 } });
    const b = createEnvelope(clock, { type: 'ping', payload: { n: 1 } });
    expect(a.time).toBe(1_700_000_000_000);
    expect(a.attempt).toBe(1);
    expect(a.schemaVersion).toBe(1);
    expect(a.id).not.toBe(b.id);
  });

  it('survives encoding and decoding unchanged', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            type: fc.string({ minLength: 1, maxLength: 20 }),
            key: fc.string({ minLength: 1, maxLength: 20 }),
            priority: fc.integer({ min: 0, max: 9 }),
            attempt: fc.integer({ min: 1, max: 100 }),
            payload: fc.jsonValue(),
          },
          { requiredKeys: ['type', 'attempt', 'payload'] },
        ),
        (input) => {
          const envelope = createEnvelope(clock, input);
          expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(
            JSON.parse(JSON.stringify(envelope)),
          );
        },
      ),
    );
  });

  it('names the field and the rule of a malformed envelope', () => {
    const attempt0 = '{"id":"m","type":"t","schemaVersion":1,"time":0,"attempt":0,"payload":1}';
    expect(() => decodeEnvelope(attempt0)).toThrow('attempt: must be at least 1, was 0');
    expect(() => decodeEnvelope('{"id":')).toThrow(/^\(body\): must be JSON text/);
    try {
      decodeEnvelope('{"id":"m","type":"t","schemaVersion":1,"time":0,"attempt":1,"extra":1}');
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'VALIDATION')).toBe(true);
    }
  });

  it('accepts exactly what the zod schema accepts, with the same value', () => {
    // Near-envelopes: each field either valid, of a wrong type or range, or missing, plus at
    // times a field the schema does not know.
    const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
      fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: invalid });
    const name = mostly(
      fc.oneof(fc.string({ minLength: 1, maxLength: 8 }), fc.constant('x'.repeat(256))),
      fc.oneof(fc.constant(''), fc.constant('x'.repeat(257)), fc.integer(), fc.constant(null)),
    );
    const whole = (min: number, max: number) =>
      mostly(
        fc.integer({ min, max }),
        fc.oneof(
          fc.constantFrom(min - 1, max + 1, 2 ** 53, 0.5 + min, -0),
          fc.string({ maxLength: 2 }),
        ),
      );
    const fields = {
      id: name,
      type: name,
      schemaVersion: whole(1, 5),
      time: whole(0, 2 ** 40),
      correlationId: name,
      replyTo: name,
      key: name,
      priority: whole(0, 9),
      attempt: whole(1, 5),
      payload: fc.jsonValue({ maxDepth: 2 }),
    };
    const required = ['id', 'type', 'schemaVersion', 'time', 'attempt', 'payload'] as const;
    const candidate = fc.oneof(
      { weight: 6, arbitrary: fc.record(fields, { requiredKeys: [...required] }) },
      { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) },
      {
        weight: 1,
        arbitrary: fc.record(
          { ...fields, extra: fc.jsonValue({ maxDepth: 1 }), ['__proto__']: fc.constant(1) },
          { requiredKeys: [...required] },
        ),
      },
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(candidate, fc.jsonValue({ maxDepth: 2 })), (value) => {
        const text = JSON.stringify(value);
        const zod = envelopeSchema.safeParse(JSON.parse(text));
        let decoded: unknown;
        let refused = false;
        try {
          decoded = decodeEnvelope(text);
        } catch (error) {
          refused = isQtpError(error, 'VALIDATION');
          if (!refused) throw error;
        }
        expect(refused).toBe(!zod.success);
        if (zod.success) {
          accepted++;
          expect(decoded).toEqual(zod.data);
        }
      }),
      { numRuns: 3000 },
    );
    // Both verdicts were exercised.
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(3000);
  });
});
