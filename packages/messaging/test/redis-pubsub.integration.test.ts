import { RedisPubSubBroker } from '@qtp/messaging/redis';
import { sharedRedis } from '@qtp/test-services';
import { brokerConformance } from './broker-conformance.js';

const redis = await sharedRedis();
const prefix = redis.keyPrefix('pubsub-conformance');

brokerConformance('redis-pubsub', {
  expects: { queues: false, priority: false },
  open: async () => new RedisPubSubBroker({ connection: redis.url, prefix }),
  publishRaw: (broker, topic, body) => (broker as RedisPubSubBroker).publishRaw(topic, body),
});
