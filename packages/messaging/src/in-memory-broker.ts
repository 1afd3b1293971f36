import { type Clock, LiveClock } from '@qtp/core';
import {
  type BrokerGuarantees,
  type ConsumeOptions,
  type Delivery,
  type DeliveryHandler,
  deadLetterQueue,
  type MessageHandler,
  type QueueBroker,
  type SendOptions,
  type SubscribeOptions,
  type Subscription,
} from './broker.js';
import { createDeadLetter, reasonOf } from './dead-letter.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from './envelope.js';
import { checkPriority, DEFAULT_PREFETCH } from './limits.js';
import { SerialHandler } from './serial-handler.js';

/** Options of {@link InMemoryBroker}. */
export interface InMemoryBrokerOptions {
  /** Stamps dead letters; a `LiveClock` by default. */
  readonly clock?: Clock;
}

interface Queued {
  readonly body: string;
  readonly priority: number;
  readonly seq: number;
}

interface Consumer {
  readonly handler: DeliveryHandler;
  readonly prefetch: number;
  readonly unsettled: Set<Queued>;
  open: boolean;
  pending: Promise<void>;
}

interface Queue {
  ready: Queued[];
  consumers: Consumer[];
  next: number;
}

/**
 * A broker inside one process: topics fan out to subscribers, queues hold messages by priority
 * then arrival, hand each to one consumer at a time within its prefetch, and take back what a
 * closed consumer left unsettled. Every message goes through the same JSON text as on a real
 * broker, so what works here works on the wire.
 *
 * @example
 * ```ts
 * import { createEnvelope, InMemoryBroker } from '@qtp/messaging';
 * import { LiveClock } from '@qtp/core';
 * const broker = new InMemoryBroker();
 * await broker.consume('jobs', async (delivery) => delivery.ack());
 * await broker.send('jobs', createEnvelope(new LiveClock(), { type: 'job', payload: 1 }));
 * ```
 */
export class InMemoryBroker implements QueueBroker {
  /** Always `memory`. */
  readonly kind = 'memory';
  /** Nothing survives the process; queues and priorities are real. */
  readonly guarantees: BrokerGuarantees = Object.freeze({
    durable: false,
    queues: true,
    priority: true,
    replay: false,
    delivery: 'at-least-once',
  });
  private readonly clock: Clock;
  private readonly topics = new Map<string, Set<(body: string) => void>>();
  private readonly queues = new Map<string, Queue>();
  private seq = 0;
  private closed = false;

  /** Creates an empty broker. */
  constructor(options: InMemoryBrokerOptions = {}) {
    this.clock = options.clock ?? new LiveClock();
  }

  /** Sends the envelope to every current subscriber of `topic`. */
  async publish(topic: string, envelope: Envelope): Promise<void> {
    await this.publishRaw(topic, encodeEnvelope(envelope));
  }

  /** Publishes a raw body, valid or not, as a foreign producer on the wire could. */
  async publishRaw(topic: string, body: string): Promise<void> {
    for (const deliver of this.topics.get(topic) ?? []) deliver(body);
  }

  /** Calls `handler` with each envelope published on `topic`, one at a time, in order. */
  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    const serial = new SerialHandler(handler, options.onInvalid);
    const deliver = (body: string) => {
      let envelope: Envelope;
      try {
        envelope = decodeEnvelope(body);
      } catch (error) {
        serial.pushInvalid(body, reasonOf(error));
        return;
      }
      serial.push(envelope);
    };
    const set = this.topics.get(topic) ?? new Set();
    set.add(deliver);
    this.topics.set(topic, set);
    return {
      close: async () => {
        serial.stop();
        set.delete(deliver);
        await serial.idle();
      },
    };
  }

  /** Appends the envelope to `queue` by priority (0 to 9, default 0), then arrival. */
  async send(queue: string, envelope: Envelope, options: SendOptions = {}): Promise<void> {
    this.enqueue(queue, encodeEnvelope(envelope), checkPriority(options.priority));
  }

  /** Sends a raw body, valid or not, as a producer on the wire could. */
  sendRaw(queue: string, body: string): void {
    this.enqueue(queue, body, 0);
  }

  /** Delivers the queue's messages to `handler`, at most `prefetch` unsettled at a time. */
  async consume(
    queue: string,
    handler: DeliveryHandler,
    options: ConsumeOptions = {},
  ): Promise<Subscription> {
    const q = this.queue(queue);
    const consumer: Consumer = {
      handler,
      prefetch: options.prefetch ?? DEFAULT_PREFETCH,
      unsettled: new Set(),
      open: true,
      pending: Promise.resolve(),
    };
    q.consumers.push(consumer);
    this.dispatch(queue);
    return {
      close: async () => {
        consumer.open = false;
        q.consumers = q.consumers.filter((c) => c !== consumer);
        await consumer.pending;
        for (const item of consumer.unsettled) this.insert(q, item);
        consumer.unsettled.clear();
        this.dispatch(queue);
      },
    };
  }

  /** Returns how many messages wait in `queue`, not counting those held by consumers. */
  depth(queue: string): number {
    return this.queues.get(queue)?.ready.length ?? 0;
  }

  /** Drops every subscriber and consumer. */
  async close(): Promise<void> {
    this.closed = true;
    this.topics.clear();
    for (const q of this.queues.values()) q.consumers = [];
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (q === undefined) {
      q = { ready: [], consumers: [], next: 0 };
      this.queues.set(name, q);
    }
    return q;
  }

  private enqueue(queue: string, body: string, priority: number): void {
    if (this.closed) return;
    this.insert(this.queue(queue), { body, priority, seq: this.seq++ });
    this.dispatch(queue);
  }

  // Keeps `ready` sorted: higher priority first, then lower sequence number.
  private insert(q: Queue, item: Queued): void {
    let i = q.ready.length;
    while (i > 0) {
      const before = q.ready[i - 1] as Queued;
      if (before.priority > item.priority) break;
      if (before.priority === item.priority && before.seq < item.seq) break;
      i--;
    }
    q.ready.splice(i, 0, item);
  }

  private dispatch(queue: string): void {
    const q = this.queue(queue);
    while (q.ready.length > 0) {
      const consumer = this.nextConsumer(q);
      if (consumer === undefined) return;
      const item = q.ready.shift() as Queued;
      let envelope: Envelope;
      try {
        envelope = decodeEnvelope(item.body);
      } catch (error) {
        const letter = createDeadLetter(this.clock, {
          queue,
          reason: reasonOf(error),
          body: item.body,
        });
        this.enqueue(deadLetterQueue(queue), encodeEnvelope(letter), 0);
        continue;
      }
      consumer.unsettled.add(item);
      let settled = false;
      const settle = (requeue: boolean) => {
        if (settled || !consumer.unsettled.has(item)) return;
        settled = true;
        consumer.unsettled.delete(item);
        if (requeue) this.insert(q, item);
        this.dispatch(queue);
      };
      const delivery: Delivery = {
        envelope,
        ack: async () => settle(false),
        requeue: async () => settle(true),
      };
      const run = Promise.resolve()
        .then(() => consumer.handler(delivery))
        .catch(() => settle(true));
      consumer.pending = Promise.all([consumer.pending, run]).then(() => undefined);
    }
  }

  // Round-robin over the open consumers that still have room in their prefetch.
  private nextConsumer(q: Queue): Consumer | undefined {
    for (let tried = 0; tried < q.consumers.length; tried++) {
      const consumer = q.consumers[(q.next + tried) % q.consumers.length] as Consumer;
      if (consumer.open && consumer.unsettled.size < consumer.prefetch) {
        q.next = (q.next + tried + 1) % q.consumers.length;
        return consumer;
      }
    }
    return undefined;
  }
}
