/**
 * The Redis brokers of `@qtp/messaging`: {@link RedisPubSubBroker} (fan-out, at most once) and
 * {@link RedisStreamsBroker} (consumer groups, acknowledgement, XAUTOCLAIM reclaim, replay,
 * MAXLEN). Needs the optional peer `ioredis`.
 *
 * @module
 */
export type { RedisConnection } from './connection.js';
export { RedisPubSubBroker, type RedisPubSubBrokerOptions } from './redis-pubsub-broker.js';
export {
  RedisStreamsBroker,
  type RedisStreamsBrokerOptions,
  type StreamSubscribeOptions,
} from './redis-streams-broker.js';
