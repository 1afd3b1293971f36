// Kill and restart the real servers with messages in flight: every send that was confirmed is
// processed, and the idempotent consumer applies each side effect once although the broker may
// deliver a message again.
import { LiveClock } from '@qtp/core';
import { createEnvelope, DedupeWindow, type QueueBroker } from '@qtp/messaging';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { RedisStreamsBroker } from '@qtp/messaging/redis';
import { startRabbitMq, startRedis, type TestService, uniqueName } from '@qtp/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from './broker-conformance.js';

const clock = new LiveClock();
const services: TestService[] = [];
afterAll(async () => {
  for (const service of services) await service.stop();
});

interface Outcome {
  confirmed: Set<string>;
  deliveries: Map<string, number>;
  applied: Map<string, number>;
}

async function sendThroughACrash(
  server: TestService,
  open: () => QueueBroker,
  total: number,
): Promise<Outcome> {
  const producer = open();
  const consumer = open();
  const queue = uniqueName('crash');
  const seen = new DedupeWindow(total * 2);
  const outcome: Outcome = { confirmed: new Set(), deliveries: new Map(), applied: new Map() };
  await consumer.consume(
    queue,
    async (delivery) => {
      const { id } = delivery.envelope;
      outcome.deliveries.set(id, (outcome.deliveries.get(id) ?? 0) + 1);
      // The side effect, guarded by the message id: the idempotent consumer.
      if (seen.add(id)) outcome.applied.set(id, (outcome.applied.get(id) ?? 0) + 1);
      await delivery.ack().catch(() => undefined);
    },
    { prefetch: 8 },
  );
  let crashed: Promise<void> | undefined;
  for (let n = 0; n < total; n++) {
    const envelope = createEnvelope(clock, { type: 'job', payload: { n } });
    if (n === Math.floor(total / 3)) {
      crashed = (async () => {
        await server.kill();
        await server.restart();
      })();
    }
    try {
      await producer.send(queue, envelope);
      outcome.confirmed.add(envelope.id);
    } catch {
      // Not confirmed: the producer would send it again; it is not counted as promised.
    }
  }
  await crashed;
  await eventually(
    'every confirmed message applied',
    () => [...outcome.confirmed].every((id) => outcome.applied.has(id)),
    90_000,
  );
  await producer.close();
  await consumer.close();
  return outcome;
}

function expectNoLossNoDoubleEffect(outcome: Outcome, total: number) {
  const lost = [...outcome.confirmed].filter((id) => !outcome.applied.has(id));
  expect(lost).toEqual([]);
  expect([...outcome.applied.values()].every((count) => count === 1)).toBe(true);
  // Sends wait through the outage, so each is confirmed in the end.
  expect(outcome.confirmed.size).toBe(total);
}

describe('faults', () => {
  it('loses no confirmed message on Redis Streams killed and restarted mid-flow', async () => {
    const redis = await startRedis({ persistence: 'aof' });
    services.push(redis);
    const outcome = await sendThroughACrash(
      redis,
      () =>
        new RedisStreamsBroker({
          connection: redis.url,
          prefix: 'faults:',
          claimIdleMs: 500,
          blockMs: 200,
        }),
      300,
    );
    expectNoLossNoDoubleEffect(outcome, 300);
  }, 120_000);

  it('loses no confirmed message on RabbitMQ killed and restarted mid-flow', async () => {
    const rabbit = await startRabbitMq({ vhostPool: 1 });
    services.push(rabbit);
    const url = rabbit.vhostUrl('qtp-1');
    const outcome = await sendThroughACrash(rabbit, () => new RabbitMqBroker({ url }), 300);
    expectNoLossNoDoubleEffect(outcome, 300);
  }, 180_000);
});
