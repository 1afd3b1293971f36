import type { Envelope } from './envelope.js';

/** Ends a subscription or a consumer; resolves once no handler call is in flight. */
export interface Subscription {
  close(): Promise<void>;
}

/** What a broker promises, as data: the README's table is made from these. */
export interface BrokerGuarantees {
  /** Whether a published message survives a restart of the server once `send` has resolved. */
  readonly durable: boolean;
  /** Whether work queues with competing consumers and acknowledgement exist (`QueueBroker`). */
  readonly queues: boolean;
  /** Whether `send` honours `priority`. */
  readonly priority: boolean;
  /** Whether a subscriber can replay topic messages from an earlier position. */
  readonly replay: boolean;
  /** `at-most-once` for fire-and-forget fan-out; `at-least-once` where unacknowledged work comes back. */
  readonly delivery: 'at-most-once' | 'at-least-once';
}

/** Called with each message received on a topic. */
export type MessageHandler = (envelope: Envelope) => void | Promise<void>;

/** Called when raw bytes arrive that are not a valid envelope. */
export type InvalidMessageHandler = (body: string, reason: string) => void | Promise<void>;

/** Options of {@link Broker.subscribe}. */
export interface SubscribeOptions {
  /** Receives bodies that are not envelopes; by default they are dropped. */
  readonly onInvalid?: InvalidMessageHandler;
}

/**
 * The narrow interface every broker implements: fan-out publish/subscribe of envelopes on named
 * topics. Request/response and the event-bus bridge run over it.
 */
export interface Broker {
  /** A short name for logs and tables: `memory`, `redis-pubsub`, `redis-streams`, `rabbitmq`. */
  readonly kind: string;
  /** What this broker promises. */
  readonly guarantees: BrokerGuarantees;
  /** Sends the envelope to every current subscriber of `topic`. */
  publish(topic: string, envelope: Envelope): Promise<void>;
  /** Calls `handler` with each envelope published on `topic` from now on. */
  subscribe(
    topic: string,
    handler: MessageHandler,
    options?: SubscribeOptions,
  ): Promise<Subscription>;
  /** Closes the connections; subscriptions end. */
  close(): Promise<void>;
}

/** Options of {@link QueueBroker.send}. */
export interface SendOptions {
  /** 0 (lowest, the default) to 9 (highest), on brokers whose guarantees include `priority`. */
  readonly priority?: number;
}

/** One message taken from a queue, which the consumer must settle. */
export interface Delivery {
  readonly envelope: Envelope;
  /** Removes the message from the queue. */
  ack(): Promise<void>;
  /** Returns the message to the queue for another delivery. */
  requeue(): Promise<void>;
}

/** Called with each delivery; settle it with `ack` or `requeue`. */
export type DeliveryHandler = (delivery: Delivery) => void | Promise<void>;

/** Options of {@link QueueBroker.consume}. */
export interface ConsumeOptions {
  /** How many unsettled deliveries this consumer holds at most (its back-pressure); default 16. */
  readonly prefetch?: number;
}

/** The name of the queue that receives the dead letters of `queue`. */
export function deadLetterQueue(queue: string): string {
  return `${queue}.dead`;
}

/** The payload of a dead letter: where it came from, why it died, and what it was. */
export interface DeadLetter {
  readonly queue: string;
  readonly reason: string;
  /** The envelope, when the body was one. */
  readonly envelope?: Envelope;
  /** The raw body, when it was not an envelope. */
  readonly body?: string;
}

/** The envelope `type` of dead letters. */
export const DEAD_LETTER_TYPE = 'qtp.dead-letter';

/**
 * A broker with work queues: each message sent to a queue goes to one of its consumers, stays
 * until acknowledged, and comes back when its consumer dies before settling it. A body that is
 * not an envelope is moved to `deadLetterQueue(queue)` with the reason, and the consumer goes on.
 */
export interface QueueBroker extends Broker {
  /** Appends the envelope to `queue`; resolves once the broker has confirmed it. */
  send(queue: string, envelope: Envelope, options?: SendOptions): Promise<void>;
  /** Delivers the queue's messages to `handler`, at most `prefetch` unsettled at a time. */
  consume(queue: string, handler: DeliveryHandler, options?: ConsumeOptions): Promise<Subscription>;
}

/**
 * Returns whether the broker has work queues.
 *
 * @example
 * ```ts
 * import { InMemoryBroker, isQueueBroker } from '@qtp/messaging';
 * isQueueBroker(new InMemoryBroker()); // true
 * ```
 */
export function isQueueBroker(broker: Broker): broker is QueueBroker {
  return broker.guarantees.queues && 'send' in broker && 'consume' in broker;
}
