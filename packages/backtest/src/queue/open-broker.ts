import { ValidationError } from '@qtp/core';
import type { QueueBroker } from '@qtp/messaging';

/**
 * Opens the queue broker a URL names: `redis://` (or `rediss://`) gives a Redis Streams broker,
 * `amqp://` (or `amqps://`) a RabbitMQ broker. Each loads its client (`ioredis`, `amqplib`) only
 * when asked for.
 *
 * @throws `ValidationError` naming `broker` for any other scheme
 * @example
 * ```ts
 * import { openQueueBroker } from '@qtp/backtest/queue';
 * const broker = await openQueueBroker('redis://127.0.0.1:6379');
 * ```
 */
export async function openQueueBroker(url: string): Promise<QueueBroker> {
  const scheme = url.slice(0, url.indexOf(':'));
  if (scheme === 'redis' || scheme === 'rediss') {
    const { RedisStreamsBroker } = await import('@qtp/messaging/redis');
    return new RedisStreamsBroker({ connection: url });
  }
  if (scheme === 'amqp' || scheme === 'amqps') {
    const { RabbitMqBroker } = await import('@qtp/messaging/rabbitmq');
    return new RabbitMqBroker({ url });
  }
  throw new ValidationError('broker', 'be a redis://, rediss://, amqp:// or amqps:// URL', url);
}
