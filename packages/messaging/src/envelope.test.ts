import { isQtpError, SimulatedClock } from '@qtp/core';
import { createEnvelope, decodeEnvelope, encodeEnvelope } from '@qtp/messaging';
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
});
