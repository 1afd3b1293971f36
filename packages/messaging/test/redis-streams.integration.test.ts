import { LiveClock } from '@qtp/core';
import { createEnvelope } from '@qtp/messaging';
import { RedisStreamsBroker } from '@qtp/messaging/redis';
import { sharedRedis, uniqueName } from '@qtp/test-services';
import { describe, expect, it } from 'vitest';
import { brokerConformance, eventually } from './broker-conformance.js';

const redis = await sharedRedis();
const prefix = redis.keyPrefix('streams-conformance');

brokerConformance('redis-streams', {
  expects: { queues: true, priority: false },
  open: async () =>
    new RedisStreamsBroker({ connection: redis.url, prefix, claimIdleMs: 300, blockMs: 200 }),
  publishRaw: (broker, topic, body) => (broker as RedisStreamsBroker).publishRaw(topic, body),
  sendRaw: (broker, queue, body) => (broker as RedisStreamsBroker).sendRaw(queue, body),
});

describe('RedisStreamsBroker topics', () => {
  it('replays a topic from a stream id, and without one starts at the end', async () => {
    const broker = new RedisStreamsBroker({ connection: redis.url, prefix, blockMs: 100 });
    const topic = uniqueName('replay');
    const clock = new LiveClock();
    const publish = (n: number) =>
      broker.publish(topic, createEnvelope(clock, { type: 'test.n', payload: { n } }));
    const nOf = (payload: unknown) => (payload as { n: number }).n;
    for (let n = 0; n < 10; n++) await publish(n);

    // From the start of the retained stream, noting each entry's id.
    const positions: string[] = [];
    const all: number[] = [];
    const first = await broker.subscribe(topic, (e) => void all.push(nOf(e.payload)), {
      fromId: '0',
      onPosition: (id) => positions.push(id),
    });
    await eventually('the whole stream', () => all.length === 10);
    await first.close();
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(positions).toHaveLength(10);

    // From after the id of entry 3: entries 4 to 9, then what comes next.
    const resumed: number[] = [];
    const second = await broker.subscribe(topic, (e) => void resumed.push(nOf(e.payload)), {
      fromId: positions[3] as string,
    });
    const fresh: number[] = [];
    const third = await broker.subscribe(topic, (e) => void fresh.push(nOf(e.payload)));
    await publish(10);
    await eventually('the resumed entries', () => resumed.length === 7 && fresh.length === 1);
    await second.close();
    await third.close();
    expect(resumed).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(fresh).toEqual([10]);
    await broker.close();
  });
});
