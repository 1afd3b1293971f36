import { LiveClock } from '@qtp/core';
import { createEnvelope } from '@qtp/messaging';
import { RedisPubSubBroker } from '@qtp/messaging/redis';
import { sharedRedis, uniqueName } from '@qtp/test-services';
import { describe, expect, it } from 'vitest';
import { brokerConformance, eventually } from './broker-conformance.js';

const redis = await sharedRedis();
const prefix = redis.keyPrefix('pubsub-conformance');

brokerConformance('redis-pubsub', {
  expects: { queues: false, priority: false },
  open: async () => new RedisPubSubBroker({ connection: redis.url, prefix }),
  publishRaw: (broker, topic, body) => (broker as RedisPubSubBroker).publishRaw(topic, body),
});

describe('RedisPubSubBroker back-pressure', () => {
  it('holds at most maxBuffered messages for a slow subscriber and counts the rest as dropped', async () => {
    const broker = new RedisPubSubBroker({ connection: redis.url, prefix, maxBuffered: 5 });
    const topic = uniqueName('slow');
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const handled: number[] = [];
    const subscription = await broker.subscribe(topic, async (envelope) => {
      await gate;
      handled.push((envelope.payload as { n: number }).n);
    });
    const clock = new LiveClock();
    for (let n = 0; n < 100; n++) {
      await broker.publish(topic, createEnvelope(clock, { type: 'test.n', payload: { n } }));
    }
    // The first message is in the handler, four wait behind it; the other 95 were dropped.
    await eventually('every message seen', () => broker.droppedCount === 95);
    open();
    await subscription.close();
    expect(handled).toEqual([0, 1, 2, 3, 4]);
    expect(broker.droppedCount).toBe(95);
    await broker.close();
  });
});
