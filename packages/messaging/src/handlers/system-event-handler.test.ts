import { SimulatedClock } from '@qtp/core';
import {
  type Alert,
  createEnvelope,
  InMemoryBroker,
  SystemEventHandler,
  systemEventCodec,
} from '@qtp/messaging';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const CODES = ['NETWORK', 'TIMEOUT', 'RATE_LIMIT'] as const;

async function settled(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('SystemEventHandler', () => {
  it('counts each message id once per code and alerts on the 1st and every n-th of a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(
          fc.record({ code: fc.constantFrom(...CODES), id: fc.integer({ min: 0, max: 30 }) }),
          { maxLength: 60 },
        ),
        async (every, errors) => {
          const clock = new SimulatedClock({ startMs: 0 });
          const broker = new InMemoryBroker({ clock });
          const alerts: Alert[] = [];
          const handler = new SystemEventHandler({
            broker,
            topic: 'system',
            sinks: [{ send: async (alert) => void alerts.push(alert) }],
            errorAlertEvery: every,
            clock,
          });
          await handler.start();
          for (const { code, id } of errors) {
            const envelope = createEnvelope(clock, {
              type: systemEventCodec.type,
              payload: { type: 'system.error', component: 'c', code, message: 'm', timeMs: 0 },
            });
            await broker.publish('system', { ...envelope, id: `e${id}` });
          }
          const last = createEnvelope(clock, {
            type: systemEventCodec.type,
            payload: { type: 'system.health', component: 'end', status: 'UP', timeMs: 0 },
          });
          await broker.publish('system', last);
          await settled(() => handler.health('end') === 'UP');
          await handler.stop();

          // The model: an id counts once, under the code it first came with.
          const firstCode = new Map<number, string>();
          for (const { code, id } of errors) if (!firstCode.has(id)) firstCode.set(id, code);
          const expected = new Map<string, number>();
          for (const code of firstCode.values()) expected.set(code, (expected.get(code) ?? 0) + 1);
          const counts = handler.errorCounts();
          for (const code of CODES) expect(counts.get(code)).toBe(expected.get(code));
          let alertsExpected = 0;
          for (const n of expected.values()) {
            for (let c = 1; c <= n; c++) if (c === 1 || c % every === 0) alertsExpected++;
          }
          expect(alerts.filter((alert) => alert.kind === 'system.error')).toHaveLength(
            alertsExpected,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
