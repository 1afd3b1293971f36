import { ValidationError } from '@qtp/core';
import type { Redis } from 'ioredis';
import type {
  Broker,
  BrokerGuarantees,
  MessageHandler,
  SubscribeOptions,
  Subscription,
} from '../broker.js';
import { reasonOf } from '../dead-letter.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from '../envelope.js';
import { SerialHandler } from '../serial-handler.js';
import { CommandBatch } from './command-batch.js';
import { dropRedis, openRedis, type RedisConnection } from './connection.js';

/** Options of {@link RedisPubSubBroker}. */
export interface RedisPubSubBrokerOptions {
  /** A `redis://` URL or ioredis options. */
  readonly connection: RedisConnection;
  /** Prepended to every channel name; `qtp:` by default. */
  readonly prefix?: string;
  /**
   * How many messages one subscriber holds at most (waiting or being handled); what arrives
   * beyond is dropped and counted in {@link RedisPubSubBroker.droppedCount}, so a slow subscriber
   * costs bounded memory. 10 000 by default.
   */
  readonly maxBuffered?: number;
}

interface Channel {
  readonly handlers: Set<SerialHandler>;
}

/**
 * A broker on Redis Pub/Sub: fast fan-out to the subscribers connected at the moment of
 * publishing, nothing kept. A subscriber that is disconnected misses what was published
 * meanwhile (at most once); the client resubscribes when the server is back.
 *
 * @example
 * ```ts
 * import { RedisPubSubBroker } from '@qtp/messaging/redis';
 * const broker = new RedisPubSubBroker({ connection: 'redis://127.0.0.1:6379' });
 * await broker.subscribe('ticks', (envelope) => console.log(envelope.payload));
 * ```
 */
export class RedisPubSubBroker implements Broker {
  /** Always `redis-pubsub`. */
  readonly kind = 'redis-pubsub';
  /** Fire-and-forget fan-out. */
  readonly guarantees: BrokerGuarantees = Object.freeze({
    durable: false,
    queues: false,
    priority: false,
    replay: false,
    delivery: 'at-most-once',
  });
  private readonly prefix: string;
  private readonly publisher: Redis;
  private readonly batch: CommandBatch;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, Channel>();
  private readonly maxBuffered: number;
  private dropped = 0;

  /** Opens a publishing and a subscribing connection. */
  constructor(options: RedisPubSubBrokerOptions) {
    this.prefix = options.prefix ?? 'qtp:';
    this.maxBuffered = options.maxBuffered ?? 10_000;
    if (!Number.isInteger(this.maxBuffered) || this.maxBuffered < 1) {
      throw new ValidationError('maxBuffered', 'be a whole number of at least 1', this.maxBuffered);
    }
    this.publisher = openRedis(options.connection, 'qtp-pubsub-publisher');
    this.subscriber = openRedis(options.connection, 'qtp-pubsub-subscriber');
    this.batch = new CommandBatch(this.publisher);
    this.subscriber.on('message', (channel: string, body: string) => this.deliver(channel, body));
  }

  /**
   * Publishes the envelope to the subscribers connected now. Publishes made in the same turn
   * go out as one pipeline and resolve together.
   */
  publish(topic: string, envelope: Envelope): Promise<void> {
    let body: string;
    try {
      body = encodeEnvelope(envelope);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.publishRaw(topic, body);
  }

  /** Publishes a raw body, valid or not, as any client of the server could. */
  publishRaw(topic: string, body: string): Promise<void> {
    const channel = this.prefix + topic;
    return this.batch.add('publish', channel, body);
  }

  /** Subscribes; resolves once the server has confirmed the subscription. */
  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    const channelName = this.prefix + topic;
    let channel = this.channels.get(channelName);
    if (channel === undefined) {
      channel = { handlers: new Set() };
      this.channels.set(channelName, channel);
      await this.subscriber.subscribe(channelName);
    }
    const entry = new SerialHandler(handler, options.onInvalid, this.maxBuffered);
    channel.handlers.add(entry);
    const owner = channel;
    return {
      close: async () => {
        owner.handlers.delete(entry);
        this.dropped += entry.droppedCount;
        if (owner.handlers.size === 0 && this.channels.get(channelName) === owner) {
          this.channels.delete(channelName);
          await this.subscriber.unsubscribe(channelName).catch(() => undefined);
        }
        await entry.idle();
      },
    };
  }

  /**
   * How many messages subscribers of this broker dropped because they held `maxBuffered`
   * already (closed subscriptions included).
   */
  get droppedCount(): number {
    let count = this.dropped;
    for (const channel of this.channels.values()) {
      for (const entry of channel.handlers) count += entry.droppedCount;
    }
    return count;
  }

  /** Closes both connections. */
  async close(): Promise<void> {
    this.channels.clear();
    dropRedis(this.subscriber);
    await this.publisher.quit().catch(() => dropRedis(this.publisher));
  }

  private deliver(channelName: string, body: string): void {
    const channel = this.channels.get(channelName);
    if (channel === undefined) return;
    let envelope: Envelope | undefined;
    let reason = '';
    try {
      envelope = decodeEnvelope(body);
    } catch (error) {
      reason = reasonOf(error);
    }
    for (const entry of channel.handlers) {
      if (envelope === undefined) entry.pushInvalid(body, reason);
      else entry.push(envelope);
    }
  }
}
