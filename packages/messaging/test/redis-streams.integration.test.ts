import { RedisStreamsBroker } from '@qtp/messaging/redis';
import { sharedRedis } from '@qtp/test-services';
import { brokerConformance } from './broker-conformance.js';

const redis = await sharedRedis();
const prefix = redis.keyPrefix('streams-conformance');

brokerConformance('redis-streams', {
  expects: { queues: true, priority: false },
  open: async () =>
    new RedisStreamsBroker({ connection: redis.url, prefix, claimIdleMs: 300, blockMs: 200 }),
  publishRaw: (broker, topic, body) => (broker as RedisStreamsBroker).publishRaw(topic, body),
  sendRaw: (broker, queue, body) => (broker as RedisStreamsBroker).sendRaw(queue, body),
});
