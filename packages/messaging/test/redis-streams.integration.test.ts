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

describe('RedisStreamsBroker queues', () => {
  it('puts a requeued or failed entry back whole, and an acknowledged one away for good', async () => {
    const broker = new RedisStreamsBroker({ connection: redis.url, prefix, blockMs: 100 });
    const queue = uniqueName('requeue');
    const clock = new LiveClock();
    const sent = [
      createEnvelope(clock, { type: 'test.job', payload: { n: 1, tag: 'requeue' }, key: 'a' }),
      createEnvelope(clock, { type: 'test.job', payload: { n: 2, tag: 'throw' } }),
      createEnvelope(clock, { type: 'test.job', payload: { n: 3, tag: 'ack then throw' } }),
    ];
    const seen: { id: string; json: string }[] = [];
    const sub = await broker.consume(queue, async (delivery) => {
      const { envelope } = delivery;
      const first = !seen.some((s) => s.id === envelope.id);
      seen.push({ id: envelope.id, json: JSON.stringify(envelope) });
      const tag = (envelope.payload as { tag: string }).tag;
      if (first && tag === 'requeue') return delivery.requeue();
      if (first && tag === 'throw') throw new Error('first attempt fails');
      await delivery.ack();
      if (tag === 'ack then throw') throw new Error('after the ack');
    });
    for (const envelope of sent) await broker.send(queue, envelope);
    await eventually('every redelivery', () => seen.length === 5);
    let depth = await broker.depth(queue);
    while (depth > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      depth = await broker.depth(queue);
    }
    await sub.close();
    // Jobs 1 and 2 twice, byte for byte the envelope that was sent; job 3, acknowledged before
    // its handler failed, once.
    for (const envelope of sent) {
      const copies = seen.filter((s) => s.id === envelope.id).map((s) => s.json);
      const times = envelope === sent[2] ? 1 : 2;
      expect(copies).toEqual(Array.from({ length: times }, () => JSON.stringify(envelope)));
    }
    expect(await broker.pendingCount(queue)).toBe(0);
    await broker.close();
  });
});
