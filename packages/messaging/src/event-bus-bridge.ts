import { type Clock, type EventBus, LiveClock, type Unsubscribe } from '@qtp/core';
import type { Broker, Subscription } from './broker.js';
import type { MessageCodec } from './codecs.js';
import { reasonOf } from './dead-letter.js';
import { DedupeWindow } from './dedupe-window.js';
import { createEnvelope, type Envelope } from './envelope.js';
import { decodePayload } from './payload.js';

/** One bus topic carried over the broker, with its codec and its ordering key. */
export interface BridgedTopic<Value = unknown> {
  /** The bus topic, and the broker topic after `topicPrefix`. */
  readonly topic: string;
  readonly codec: MessageCodec<Value>;
  /** The ordering key of a value, for example its instrument id. */
  readonly key?: (value: Value) => string;
}

/**
 * Returns a bridged topic with its codec's value type erased, for a list of mixed topics.
 *
 * @example
 * ```ts
 * import { bridgeTopic, orderEventCodec } from '@qtp/messaging';
 * const fills = bridgeTopic({ topic: 'order.fill', codec: orderEventCodec, key: (e) => e.instrumentId });
 * ```
 */
export function bridgeTopic<Value>(topic: BridgedTopic<Value>): BridgedTopic {
  return topic as unknown as BridgedTopic;
}

/** A message the bridge refused on the way in. */
export interface BridgeRejection {
  readonly topic: string;
  readonly reason: string;
  readonly envelope?: Envelope;
  readonly body?: string;
}

/** Options of {@link EventBusBridge}. */
export interface EventBusBridgeOptions<Events extends object> {
  readonly bus: EventBus<Events>;
  readonly broker: Broker;
  /** Bus topics forwarded to the broker. */
  readonly outbound?: readonly BridgedTopic[];
  /** Broker topics published on the bus. */
  readonly inbound?: readonly BridgedTopic[];
  /** Prepended to broker topic names; `bus.` by default. */
  readonly topicPrefix?: string;
  /** How many message ids are remembered to drop redeliveries; 10 000 by default. */
  readonly dedupeWindow?: number;
  /** Hears each inbound message that failed validation; the bridge carries on. */
  readonly onRejected?: (rejection: BridgeRejection) => void;
  /** Stamps envelopes; a `LiveClock` by default. */
  readonly clock?: Clock;
}

interface LooseBus {
  publish(topic: string, payload: unknown): void;
  subscribe(pattern: string, handler: (payload: unknown) => unknown): Unsubscribe;
}

/**
 * Forwards chosen topics of an {@link EventBus} to a broker and chosen broker topics back onto
 * a bus, so an engine's orders, fills and market data reach another process. Each value is
 * encoded with its topic's codec, validated on the way in, and published on the receiving bus
 * once: redeliveries are dropped by message id (with an at-least-once broker that makes delivery
 * effectively once), and messages of one topic arrive in the order sent, so the order per
 * instrument holds. Values it delivered itself are not sent back out.
 *
 * @example
 * ```ts
 * import { EventBus } from '@qtp/core';
 * import { bridgeTopic, EventBusBridge, InMemoryBroker, orderEventCodec } from '@qtp/messaging';
 * const broker = new InMemoryBroker();
 * const fills = bridgeTopic({ topic: 'order.fill', codec: orderEventCodec });
 * const engineSide = new EventBusBridge({ bus: new EventBus(), broker, outbound: [fills] });
 * const monitorSide = new EventBusBridge({ bus: new EventBus(), broker, inbound: [fills] });
 * await monitorSide.start();
 * await engineSide.start();
 * ```
 */
export class EventBusBridge<Events extends object> {
  private readonly bus: LooseBus;
  private readonly broker: Broker;
  private readonly outbound: readonly BridgedTopic[];
  private readonly inbound: readonly BridgedTopic[];
  private readonly prefix: string;
  private readonly seen: DedupeWindow;
  private readonly onRejected: (rejection: BridgeRejection) => void;
  private readonly clock: Clock;
  private readonly delivered = new WeakSet<object>();
  private readonly unsubscribes: Unsubscribe[] = [];
  private readonly subscriptions: Subscription[] = [];
  private sending: Promise<void> = Promise.resolve();
  private failures = 0;

  /** Creates the bridge; nothing flows until {@link EventBusBridge.start}. */
  constructor(options: EventBusBridgeOptions<Events>) {
    this.bus = options.bus as unknown as LooseBus;
    this.broker = options.broker;
    this.outbound = options.outbound ?? [];
    this.inbound = options.inbound ?? [];
    this.prefix = options.topicPrefix ?? 'bus.';
    this.seen = new DedupeWindow(options.dedupeWindow);
    this.onRejected = options.onRejected ?? (() => undefined);
    this.clock = options.clock ?? new LiveClock();
  }

  /** How many outbound sends failed (the broker refused or was closed). */
  get sendFailures(): number {
    return this.failures;
  }

  /** Subscribes on the broker first (so nothing sent after `start` resolves is missed), then on the bus. */
  async start(): Promise<void> {
    for (const bridged of this.inbound) {
      const subscription = await this.broker.subscribe(
        this.prefix + bridged.topic,
        (envelope) => this.receive(bridged, envelope),
        { onInvalid: (body, reason) => this.onRejected({ topic: bridged.topic, reason, body }) },
      );
      this.subscriptions.push(subscription);
    }
    for (const bridged of this.outbound) {
      this.unsubscribes.push(
        this.bus.subscribe(bridged.topic, (value) => this.forward(bridged, value)),
      );
    }
  }

  /** Resolves once every value forwarded so far has been handed to the broker. */
  flush(): Promise<void> {
    return this.sending;
  }

  /** Stops forwarding and receiving, after the sends in flight. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    await this.sending;
    for (const subscription of this.subscriptions.splice(0)) await subscription.close();
  }

  private forward(bridged: BridgedTopic, value: unknown): void {
    if (typeof value === 'object' && value !== null && this.delivered.has(value)) return;
    const key = bridged.key?.(value);
    const envelope = createEnvelope(this.clock, {
      type: bridged.codec.type,
      schemaVersion: bridged.codec.schemaVersion,
      payload: bridged.codec.encode(value),
      ...(key === undefined ? {} : { key }),
    });
    this.seen.add(envelope.id);
    // One chain keeps the broker's order equal to the bus's order.
    this.sending = this.sending.then(() =>
      this.broker.publish(this.prefix + bridged.topic, envelope).catch(() => {
        this.failures++;
      }),
    );
  }

  private receive(bridged: BridgedTopic, envelope: Envelope): void {
    if (!this.seen.add(envelope.id)) return;
    let value: unknown;
    try {
      value = decodePayload(bridged.codec, envelope);
    } catch (error) {
      this.onRejected({ topic: bridged.topic, reason: reasonOf(error), envelope });
      return;
    }
    if (typeof value === 'object' && value !== null) this.delivered.add(value);
    this.bus.publish(bridged.topic, value);
  }
}
