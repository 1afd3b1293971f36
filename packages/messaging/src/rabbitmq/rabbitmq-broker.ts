import { type Clock, LiveClock, NetworkError } from '@qtp/core';
import {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type ConsumeMessage,
  connect,
  type Options,
} from 'amqplib';
import {
  type BrokerGuarantees,
  type ConsumeOptions,
  DEAD_LETTER_TYPE,
  type Delivery,
  type DeliveryHandler,
  deadLetterQueue,
  type MessageHandler,
  type QueueBroker,
  type SendOptions,
  type SubscribeOptions,
  type Subscription,
} from '../broker.js';
import { createDeadLetter, reasonOf } from '../dead-letter.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from '../envelope.js';
import { checkPriority, DEFAULT_PREFETCH, MAX_PRIORITY } from '../limits.js';

/** Options of {@link RabbitMqBroker}. */
export interface RabbitMqBrokerOptions {
  /** The `amqp://` URL, vhost included. */
  readonly url: string;
  /** Names the topic exchange `PREFIX.topics`; `qtp` by default. */
  readonly prefix?: string;
  /** Per-queue message time-to-live in ms; an expired message moves to the queue's dead letters. */
  readonly queueTtlMs?: Readonly<Record<string, number>>;
  /** The first delay before reconnecting, doubled up to 2 s; 100 ms by default. */
  readonly reconnectDelayMs?: number;
  /** How long `send` and `publish` keep trying through an outage before a `NetworkError`; 60 s. */
  readonly publishTimeoutMs?: number;
  /** Times reconnects and stamps dead letters; a `LiveClock` by default. */
  readonly clock?: Clock;
}

interface Live {
  readonly model: ChannelModel;
  readonly publisher: ConfirmChannel;
}

// What `ack` and `requeue` return: settling on RabbitMQ is one frame written at once.
const SETTLED: Promise<void> = Promise.resolve();

/** One message waiting in a publish batch. */
interface Outgoing {
  readonly exchange: string;
  readonly routingKey: string;
  /** The queue to declare first, for a send to a work queue. */
  readonly queue?: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

interface Attachment {
  setup(model: ChannelModel): Promise<void>;
  closed: boolean;
  /** The connection it was last set up on, so a setup never runs twice on one connection. */
  model?: ChannelModel;
}

function xDeathReason(message: ConsumeMessage): string | undefined {
  const deaths = message.properties.headers?.['x-death'] as
    | { reason?: string; queue?: string }[]
    | undefined;
  const first = deaths?.[0];
  return first === undefined
    ? undefined
    : `${first.reason ?? 'dead-lettered'} in ${first.queue ?? '?'}`;
}

/**
 * A broker on RabbitMQ (AMQP 0-9-1). Topics go through a direct exchange to one exclusive queue
 * per subscriber; work queues are durable, priority queues (0 to 9) with a dead-letter exchange
 * routing rejected and expired messages to `QUEUE.dead`. Every send waits for the publisher
 * confirm and is persistent; consumers acknowledge by hand with a prefetch. When the connection
 * drops, the broker reconnects with backoff, declares its exchange and queues again, and
 * restarts its consumers; sends made meanwhile wait and are confirmed once it is back.
 *
 * @example
 * ```ts
 * import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
 * const broker = new RabbitMqBroker({ url: 'amqp://guest:guest@127.0.0.1:5672/%2F' });
 * await broker.consume('jobs', async (delivery) => delivery.ack(), { prefetch: 4 });
 * ```
 */
export class RabbitMqBroker implements QueueBroker {
  /** Always `rabbitmq`. */
  readonly kind = 'rabbitmq';
  /** Durable confirmed queues with priorities; topic subscribers miss what is sent while down. */
  readonly guarantees: BrokerGuarantees = Object.freeze({
    durable: true,
    queues: true,
    priority: true,
    replay: false,
    delivery: 'at-least-once',
  });
  private readonly url: string;
  private readonly exchange: string;
  private readonly queueTtlMs: Readonly<Record<string, number>>;
  private readonly reconnectDelayMs: number;
  private readonly publishTimeoutMs: number;
  private readonly clock: Clock;
  private readonly declared = new Set<string>();
  private readonly attachments = new Set<Attachment>();
  private live: Promise<Live>;
  // The confirm channel of the connection that is up, so a send need not wait on `live`.
  private publisher: ConfirmChannel | undefined;
  private batch: { readonly items: Outgoing[]; readonly done: Promise<void> } | undefined;
  private closing = false;
  private reconnects = 0;

  /** Connects in the background; the first call waits for it. */
  constructor(options: RabbitMqBrokerOptions) {
    this.url = options.url;
    this.exchange = `${options.prefix ?? 'qtp'}.topics`;
    this.queueTtlMs = options.queueTtlMs ?? {};
    this.reconnectDelayMs = options.reconnectDelayMs ?? 100;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 60_000;
    this.clock = options.clock ?? new LiveClock();
    this.live = this.open();
    this.live.catch(() => undefined);
  }

  /** How many times the connection was re-established. */
  get reconnectCount(): number {
    return this.reconnects;
  }

  /**
   * Publishes the envelope to the topic's current subscribers, confirmed. Publishes and sends
   * made in the same turn go out together and wait for their confirms as one batch.
   */
  publish(topic: string, envelope: Envelope): Promise<void> {
    let body: string;
    try {
      body = encodeEnvelope(envelope);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.publishRaw(topic, body, envelope.id);
  }

  /** Publishes a raw body, valid or not, to the topic. */
  publishRaw(topic: string, body: string, messageId?: string): Promise<void> {
    return this.enqueue({
      exchange: this.exchange,
      routingKey: topic,
      content: Buffer.from(body),
      options: this.properties(messageId, 0),
    });
  }

  /** Binds an exclusive queue of this subscriber to the topic; rebinds after a reconnect. */
  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    let channel: Channel | undefined;
    let chain = Promise.resolve();
    const attachment: Attachment = {
      closed: false,
      setup: async (model) => {
        const ch = await model.createChannel();
        channel = ch;
        await ch.prefetch(DEFAULT_PREFETCH * 16);
        const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true });
        await ch.bindQueue(queue, this.exchange, topic);
        await ch.consume(queue, (message) => {
          if (message === null) return;
          chain = chain.then(async () => {
            const body = message.content.toString('utf8');
            try {
              let envelope: Envelope | undefined;
              try {
                envelope = decodeEnvelope(body);
              } catch (error) {
                await options.onInvalid?.(body, reasonOf(error));
              }
              if (envelope !== undefined) await handler(envelope);
            } catch {
              // A subscriber's failure does not stop the topic.
            } finally {
              try {
                ch.ack(message);
              } catch {
                // The channel is gone; the exclusive queue went with it.
              }
            }
          });
        });
      },
    };
    await this.attach(attachment);
    return {
      close: async () => {
        attachment.closed = true;
        this.attachments.delete(attachment);
        await chain;
        await channel?.close().catch(() => undefined);
      },
    };
  }

  /**
   * Sends the envelope to the queue, persistent, and waits for the publisher confirm. Sends made
   * in the same turn go out together and wait for their confirms as one batch.
   */
  send(queue: string, envelope: Envelope, options: SendOptions = {}): Promise<void> {
    let priority: number;
    let body: string;
    try {
      priority = checkPriority(options.priority);
      body = encodeEnvelope(envelope);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.sendRaw(queue, body, { priority, messageId: envelope.id });
  }

  /** Sends a raw body, valid or not, to the queue, confirmed. */
  sendRaw(
    queue: string,
    body: string,
    options: { priority?: number; messageId?: string } = {},
  ): Promise<void> {
    return this.enqueue({
      exchange: '',
      routingKey: queue,
      queue,
      content: Buffer.from(body),
      options: this.properties(options.messageId, options.priority ?? 0),
    });
  }

  // Gathers the publishes of one turn into a batch that is written at once and settled by the
  // confirms of all its messages: one promise per batch instead of several per message.
  private enqueue(item: Outgoing): Promise<void> {
    if (this.batch === undefined) {
      const items: Outgoing[] = [];
      const done = Promise.resolve().then(() => {
        this.batch = undefined;
        return this.confirmed((channel, confirmedAll) =>
          this.writeBatch(channel, items, confirmedAll),
        );
      });
      this.batch = { items, done };
    }
    this.batch.items.push(item);
    return this.batch.done;
  }

  private writeBatch(
    channel: ConfirmChannel,
    items: readonly Outgoing[],
    done: (error: unknown) => void,
  ): void | Promise<void> {
    const undeclared = new Set<string>();
    for (const item of items) {
      if (item.queue !== undefined && !this.declared.has(item.queue)) undeclared.add(item.queue);
    }
    const write = () => {
      let waiting = items.length;
      let failure: unknown;
      const confirm = (error: unknown) => {
        if (error && failure === undefined) failure = error;
        if (--waiting === 0) done(failure ?? null);
      };
      for (const item of items) {
        channel.publish(item.exchange, item.routingKey, item.content, item.options, confirm);
      }
    };
    // Declared once per connection; after that a batch is only writes and confirm callbacks.
    if (undeclared.size === 0) return write();
    return (async () => {
      for (const queue of undeclared) await this.declare(channel, queue);
      write();
    })();
  }

  /**
   * Consumes the queue on a channel of its own with manual acknowledgement and `prefetch`; a
   * message dead-lettered by RabbitMQ itself (expired or rejected) arrives on `QUEUE.dead`
   * wrapped as a dead letter with RabbitMQ's reason.
   */
  async consume(
    queue: string,
    handler: DeliveryHandler,
    options: ConsumeOptions = {},
  ): Promise<Subscription> {
    const prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    let channel: Channel | undefined;
    let inFlight = 0;
    let idle: (() => void) | undefined;
    const attachment: Attachment = {
      closed: false,
      setup: async (model) => {
        const ch = await model.createChannel();
        channel = ch;
        await ch.prefetch(prefetch);
        await this.declare(ch, queue);
        await ch.consume(queue, (message) => {
          if (message === null) return;
          inFlight++;
          this.handle(queue, ch, message, handler, () => {
            inFlight--;
            if (inFlight === 0) idle?.();
          });
        });
      },
    };
    await this.attach(attachment);
    return {
      close: async () => {
        attachment.closed = true;
        this.attachments.delete(attachment);
        await channel?.close().catch(() => undefined);
        if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      },
    };
  }

  /** Closes the connection; unacknowledged messages go back to their queues. */
  async close(): Promise<void> {
    this.closing = true;
    this.attachments.clear();
    const live = await this.live.catch(() => undefined);
    await live?.model.close().catch(() => undefined);
  }

  // Runs the handler on one message and calls `finished` once it has returned or its promise
  // settled; a handler that returns at once costs no promise of the broker's.
  private handle(
    queue: string,
    channel: Channel,
    message: ConsumeMessage,
    handler: DeliveryHandler,
    finished: () => void,
  ): void {
    const body = message.content.toString('utf8');
    let settled = false;
    const settle = (requeue: boolean) => {
      if (settled) return;
      settled = true;
      try {
        if (requeue) channel.nack(message, false, true);
        else channel.ack(message);
      } catch {
        // The channel closed: RabbitMQ hands the message out again.
      }
    };
    let envelope: Envelope;
    try {
      envelope = decodeEnvelope(body);
    } catch (error) {
      const letter = createDeadLetter(this.clock, { queue, reason: reasonOf(error), body });
      this.sendRaw(deadLetterQueue(queue), encodeEnvelope(letter))
        .catch(() => undefined)
        .then(() => {
          settle(false);
          finished();
        });
      return;
    }
    const death = xDeathReason(message);
    if (death !== undefined && envelope.type !== DEAD_LETTER_TYPE) {
      const origin = queue.endsWith('.dead') ? queue.slice(0, -'.dead'.length) : queue;
      envelope = createDeadLetter(this.clock, { queue: origin, reason: death, envelope });
    }
    const delivery: Delivery = {
      envelope,
      ack: () => {
        settle(false);
        return SETTLED;
      },
      requeue: () => {
        settle(true);
        return SETTLED;
      },
    };
    let result: void | Promise<void>;
    try {
      result = handler(delivery);
    } catch {
      settle(true);
      finished();
      return;
    }
    if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
      (result as Promise<void>).then(finished, () => {
        settle(true);
        finished();
      });
    } else {
      finished();
    }
  }

  private properties(messageId: string | undefined, priority: number): Options.Publish {
    const properties: Options.Publish = {
      persistent: true,
      contentType: 'application/json',
      priority,
    };
    if (messageId !== undefined) properties.messageId = messageId;
    return properties;
  }

  private queueArguments(queue: string): Options.AssertQueue {
    if (queue.endsWith('.dead')) return { durable: true };
    const ttl = this.queueTtlMs[queue];
    return {
      durable: true,
      arguments: {
        'x-max-priority': MAX_PRIORITY,
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': deadLetterQueue(queue),
        ...(ttl === undefined ? {} : { 'x-message-ttl': ttl }),
      },
    };
  }

  private async declare(channel: Channel, queue: string): Promise<void> {
    if (this.declared.has(queue)) return;
    if (!queue.endsWith('.dead'))
      await channel.assertQueue(deadLetterQueue(queue), { durable: true });
    await channel.assertQueue(queue, this.queueArguments(queue));
    this.declared.add(queue);
  }

  private async attach(attachment: Attachment): Promise<void> {
    this.attachments.add(attachment);
    const live = await this.live;
    await this.setUp(attachment, live.model);
  }

  private async setUp(attachment: Attachment, model: ChannelModel): Promise<void> {
    if (attachment.closed || attachment.model === model) return;
    attachment.model = model;
    await attachment.setup(model);
  }

  // Runs a publish on the confirm channel and waits for its confirm; through an outage, waits
  // for the reconnect and tries again until `publishTimeoutMs`.
  private async confirmed(
    publish: (channel: ConfirmChannel, done: (error: unknown) => void) => void | Promise<void>,
  ): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      try {
        const publisher = this.publisher ?? (await this.live).publisher;
        await new Promise<void>((resolve, reject) => {
          const done = (error: unknown) => (error ? reject(error) : resolve());
          const sent = publish(publisher, done);
          if (sent !== undefined) sent.catch(reject);
        });
        return;
      } catch (error) {
        if (this.closing) throw new NetworkError('the broker is closed', { cause: error });
        if (this.clock.now() - started > this.publishTimeoutMs) {
          throw new NetworkError(`no publisher confirm within ${this.publishTimeoutMs} ms`, {
            cause: error,
          });
        }
        await this.delay(this.reconnectDelayMs);
      }
    }
  }

  private async open(): Promise<Live> {
    let delayMs = this.reconnectDelayMs;
    for (;;) {
      if (this.closing) throw new NetworkError('the broker is closed');
      try {
        const model = await connect(this.url);
        model.on('error', () => undefined);
        const publisher = await model.createConfirmChannel();
        publisher.on('error', () => undefined);
        // A publisher channel closed by the server (a refused declaration) is replaced with the
        // whole connection, so the broker never keeps a dead channel.
        publisher.once('close', () => {
          if (this.publisher === publisher) this.publisher = undefined;
          if (!this.closing) model.close().catch(() => undefined);
        });
        this.declared.clear();
        await publisher.assertExchange(this.exchange, 'direct', { durable: true });
        const live: Live = { model, publisher };
        model.once('close', () => {
          if (this.publisher === publisher) this.publisher = undefined;
          if (this.closing) return;
          this.reconnects++;
          this.live = this.open();
          this.live.catch(() => undefined);
        });
        for (const attachment of this.attachments) await this.setUp(attachment, model);
        this.publisher = publisher;
        return live;
      } catch (error) {
        if (this.closing) throw new NetworkError('the broker is closed', { cause: error });
        await this.delay(delayMs);
        delayMs = Math.min(delayMs * 2, 2000);
      }
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(() => resolve(), ms));
  }
}
