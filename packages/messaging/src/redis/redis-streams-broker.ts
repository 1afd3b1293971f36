import { type Clock, LiveClock, ValidationError } from '@qtp/core';
import type { Redis } from 'ioredis';
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
} from '../broker.js';
import { createDeadLetter, reasonOf } from '../dead-letter.js';
import { decodeEnvelope, type Envelope, encodeEnvelope } from '../envelope.js';
import { DEFAULT_PREFETCH } from '../limits.js';
import { CommandBatch } from './command-batch.js';
import { dropRedis, openRedis, type RedisConnection } from './connection.js';

/** Options of {@link RedisStreamsBroker}. */
export interface RedisStreamsBrokerOptions {
  /** A `redis://` URL or ioredis options. */
  readonly connection: RedisConnection;
  /** Prepended to every stream key; `qtp:` by default. */
  readonly prefix?: string;
  /** The consumer group of every queue; `qtp-workers` by default. */
  readonly group?: string;
  /** This process's consumer name in the groups; random by default. */
  readonly consumerName?: string;
  /** Topic streams are trimmed to about this many entries (MAXLEN ~); 10 000 by default. */
  readonly topicMaxLength?: number;
  /**
   * How long a delivered queue entry may stay unacknowledged before another consumer takes it
   * over with XAUTOCLAIM (the visibility timeout), in ms; 30 000 by default.
   */
  readonly claimIdleMs?: number;
  /** How long one blocking read waits on the server, in ms; 1000 by default. */
  readonly blockMs?: number;
  /** Reads the time for dead letters and reclaim rounds; a `LiveClock` by default. */
  readonly clock?: Clock;
}

/** Options of {@link RedisStreamsBroker.subscribe}. */
export interface StreamSubscribeOptions extends SubscribeOptions {
  /**
   * Replays from after this stream id (`0` for the whole retained stream); by default only
   * entries added after the subscription.
   */
  readonly fromId?: string;
  /** Receives each entry's stream id after its handler has run, to resume from later. */
  readonly onPosition?: (id: string) => void;
}

type StreamEntry = [id: string, fields: string[]];

function bodyOf(fields: readonly string[]): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === 'b') return fields[i + 1] ?? '';
  return '';
}

function entriesOf(reply: unknown): StreamEntry[] {
  // XREAD / XREADGROUP: [[key, [[id, fields], ...]], ...] or null.
  if (!Array.isArray(reply)) return [];
  const out: StreamEntry[] = [];
  for (const stream of reply as [string, (StreamEntry | null)[]][]) {
    for (const entry of stream[1]) if (entry !== null && entry[1] !== null) out.push(entry);
  }
  return out;
}

const SETTLED: Promise<void> = Promise.resolve();

// What a delivery needs of its consumer: acknowledging joins the turn's XACK batch.
interface StreamConsumer {
  finish(id: string): Promise<void>;
  requeue(id: string, body: string): Promise<void>;
}

// A queue entry handed to a handler; a class, so a delivery costs one object and no closures.
// It keeps the decoded envelope, not the entry's text, so the read's reply is garbage as soon as
// its entries are handed out: requeueing writes the envelope again, the same JSON text.
class StreamDelivery implements Delivery {
  readonly envelope: Envelope;
  private readonly consumer: StreamConsumer;
  private readonly id: string;
  private settled = false;

  constructor(consumer: StreamConsumer, envelope: Envelope, id: string) {
    this.consumer = consumer;
    this.envelope = envelope;
    this.id = id;
  }

  /** Whether `ack` or `requeue` has been called. */
  isSettled(): boolean {
    return this.settled;
  }

  ack(): Promise<void> {
    if (this.settled) return SETTLED;
    this.settled = true;
    return this.consumer.finish(this.id);
  }

  requeue(): Promise<void> {
    if (this.settled) return SETTLED;
    this.settled = true;
    return this.consumer.requeue(this.id, encodeEnvelope(this.envelope));
  }
}

// Requeueing a settled delivery does nothing, so a handler that failed after settling needs no
// closure of its own: its rejection is only caught.
const ignore = (): undefined => undefined;

/**
 * A broker on Redis Streams. Topics are streams read from a position (so a subscriber can replay
 * from an id, and resumes where it was after a reconnect), trimmed with MAXLEN. Queues are streams
 * read by one consumer group: each entry goes to one consumer, stays pending until acknowledged
 * (then it is deleted), and an entry whose consumer died is taken over by another with XAUTOCLAIM
 * once it has been idle for `claimIdleMs`. With an append-only file synced on each write on the
 * server, a `send` that resolved survives a crash of the server.
 *
 * @example
 * ```ts
 * import { RedisStreamsBroker } from '@qtp/messaging/redis';
 * const broker = new RedisStreamsBroker({ connection: 'redis://127.0.0.1:6379', prefix: 'app:' });
 * await broker.consume('jobs', async (delivery) => delivery.ack(), { prefetch: 8 });
 * ```
 */
export class RedisStreamsBroker implements QueueBroker {
  /** Always `redis-streams`. */
  readonly kind = 'redis-streams';
  /** Durable (given the server's persistence), queues with acknowledgement, replay; no priority. */
  readonly guarantees: BrokerGuarantees = Object.freeze({
    durable: true,
    queues: true,
    priority: false,
    replay: true,
    delivery: 'at-least-once',
  });
  private readonly connection: RedisConnection;
  private readonly prefix: string;
  private readonly group: string;
  private readonly consumerName: string;
  private readonly topicMaxLength: number;
  private readonly claimIdleMs: number;
  private readonly blockMs: number;
  private readonly clock: Clock;
  private readonly client: Redis;
  // Acknowledgements go on a connection of their own, so they never wait behind a burst of
  // sends on the command connection; opened with the first consumer.
  private acker: Redis | undefined;
  private readonly batch: CommandBatch;
  private readonly readers = new Set<Redis>();
  private readonly groups = new Set<string>();

  /**
   * Opens the command connection; each subscription and consumer opens a reader of its own, and
   * the first consumer a connection for acknowledgements.
   */
  constructor(options: RedisStreamsBrokerOptions) {
    this.connection = options.connection;
    this.prefix = options.prefix ?? 'qtp:';
    this.group = options.group ?? 'qtp-workers';
    this.consumerName = options.consumerName ?? `consumer-${crypto.randomUUID()}`;
    this.topicMaxLength = options.topicMaxLength ?? 10_000;
    this.claimIdleMs = options.claimIdleMs ?? 30_000;
    this.blockMs = options.blockMs ?? 1000;
    this.clock = options.clock ?? new LiveClock();
    this.client = openRedis(this.connection, 'qtp-streams');
    this.batch = new CommandBatch(this.client);
  }

  /** Returns the stream key of a topic. */
  topicKey(topic: string): string {
    return `${this.prefix}topic:${topic}`;
  }

  /** Returns the stream key of a queue. */
  queueKey(queue: string): string {
    return `${this.prefix}queue:${queue}`;
  }

  /**
   * Appends the envelope to the topic's stream, trimmed to about `topicMaxLength`. Appends made
   * in the same turn (to any topic or queue) go out as one pipeline and resolve together.
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

  /** Appends a raw body, valid or not, to the topic's stream. */
  publishRaw(topic: string, body: string): Promise<void> {
    const key = this.topicKey(topic);
    return this.batch.add('xadd', key, 'MAXLEN', '~', this.topicMaxLength, '*', 'b', body);
  }

  /** Reads the topic's stream from now on, or from after `fromId`, in order. */
  async subscribe(
    topic: string,
    handler: MessageHandler,
    options: StreamSubscribeOptions = {},
  ): Promise<Subscription> {
    const key = this.topicKey(topic);
    let position = options.fromId ?? (await this.lastId(key));
    const reader = this.reader('qtp-streams-subscriber');
    let open = true;
    const loop = (async () => {
      while (open) {
        let reply: unknown;
        try {
          reply = await reader.xread('COUNT', 256, 'BLOCK', this.blockMs, 'STREAMS', key, position);
        } catch {
          if (open) await this.pause();
          continue;
        }
        for (const [id, fields] of entriesOf(reply)) {
          if (!open) break;
          const body = bodyOf(fields);
          let envelope: Envelope | undefined;
          try {
            envelope = decodeEnvelope(body);
          } catch (error) {
            await Promise.resolve(options.onInvalid?.(body, reasonOf(error))).catch(
              () => undefined,
            );
          }
          if (envelope !== undefined) {
            await Promise.resolve()
              .then(() => handler(envelope))
              .catch(() => undefined);
          }
          position = id;
          options.onPosition?.(id);
        }
      }
    })();
    return {
      close: async () => {
        open = false;
        this.drop(reader);
        await loop;
      },
    };
  }

  /**
   * Appends the envelope to the queue's stream; resolves once Redis has written it. Sends made
   * in the same turn go out as one pipeline and resolve together.
   */
  send(queue: string, envelope: Envelope, options?: SendOptions): Promise<void> {
    const priority = options?.priority;
    if (priority !== undefined && priority !== 0) {
      return Promise.reject(
        new ValidationError('priority', 'be 0 on Redis Streams, which has no priorities', priority),
      );
    }
    let body: string;
    try {
      body = encodeEnvelope(envelope);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.sendRaw(queue, body);
  }

  /** Appends a raw body, valid or not, to the queue's stream. */
  sendRaw(queue: string, body: string): Promise<void> {
    return this.batch.add('xadd', this.queueKey(queue), '*', 'b', body);
  }

  /**
   * Reads the queue as a member of the consumer group: first entries other consumers left idle
   * for `claimIdleMs` (XAUTOCLAIM, also every half `claimIdleMs` after), then new ones, at most
   * `prefetch` unsettled at a time.
   */
  async consume(
    queue: string,
    handler: DeliveryHandler,
    options: ConsumeOptions = {},
  ): Promise<Subscription> {
    const key = this.queueKey(queue);
    const prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    await this.ensureGroup(key);
    const reader = this.reader('qtp-streams-consumer');
    const unsettled = new Set<string>();
    let open = true;
    let wake: (() => void) | undefined;
    let lastClaim = Number.NEGATIVE_INFINITY;
    // The read loop waits while the consumer holds `prefetch` entries and resumes once it holds
    // at most half of them, so a busy consumer reads in batches instead of one entry at a time.
    // An entry whose ack has been called no longer counts against `prefetch` while its XACK is
    // on the way, so reading goes on during the round trip; at most four times `prefetch`
    // acknowledgements are on the way at once.
    const lowWater = Math.floor(prefetch / 2);
    let acking = 0;
    const ackLimit = 4 * prefetch;
    const full = () => unsettled.size - acking >= prefetch || acking >= ackLimit;
    const roomy = () => unsettled.size - acking <= lowWater && acking < ackLimit;
    const settle = (id: string) => {
      unsettled.delete(id);
      if (roomy()) wake?.();
    };
    // Acknowledgements made in the same tick go out together: one XACK and one XDEL naming
    // every id. XACK then XDEL: should the second be lost, the entry is no longer pending and is
    // never delivered again; it only stays in the stream until trimmed.
    let batch: { ids: string[]; done: Promise<void> } | undefined;
    const consumer: StreamConsumer = {
      finish: (id) => {
        acking++;
        if (roomy()) wake?.();
        if (batch === undefined) {
          const ids: string[] = [];
          const done = Promise.resolve().then(async () => {
            batch = undefined;
            try {
              const results = await this.acknowledger()
                .pipeline()
                .xack(key, this.group, ...ids)
                .xdel(key, ...ids)
                .exec();
              for (const [error] of results ?? []) if (error) throw error;
            } finally {
              acking -= ids.length;
              for (const settledId of ids) unsettled.delete(settledId);
              if (roomy()) wake?.();
            }
          });
          batch = { ids, done };
        }
        batch.ids.push(id);
        return batch.done;
      },
      requeue: async (id, body) => {
        try {
          await this.client
            .multi()
            .xadd(key, '*', 'b', body)
            .xack(key, this.group, id)
            .xdel(key, id)
            .exec();
        } finally {
          settle(id);
        }
      },
    };
    const requeueOnFailure = (delivery: StreamDelivery) => () =>
      void delivery.requeue().catch(ignore);
    const deliver = (id: string, body: string) => {
      if (unsettled.has(id)) return;
      let envelope: Envelope;
      try {
        envelope = decodeEnvelope(body);
      } catch (error) {
        unsettled.add(id);
        const letter = createDeadLetter(this.clock, { queue, reason: reasonOf(error), body });
        void this.sendRaw(deadLetterQueue(queue), encodeEnvelope(letter))
          .then(() => consumer.finish(id))
          .catch(() => undefined)
          .finally(() => settle(id));
        return;
      }
      unsettled.add(id);
      const delivery = new StreamDelivery(consumer, envelope, id);
      try {
        const result = handler(delivery);
        if (result !== undefined && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(
            undefined,
            delivery.isSettled() ? ignore : requeueOnFailure(delivery),
          );
        }
      } catch {
        requeueOnFailure(delivery)();
      }
    };
    const loop = (async () => {
      while (open) {
        try {
          if (full()) {
            (globalThis as { __waits?: number }).__waits =
              ((globalThis as { __waits?: number }).__waits ?? 0) + 1;
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
            continue;
          }
          const free = prefetch - (unsettled.size - acking);
          (globalThis as { __reads?: number[] }).__reads?.push(free);
          if (this.clock.now() - lastClaim >= this.claimIdleMs / 2) {
            lastClaim = this.clock.now();
            const claimed = (await reader.xautoclaim(
              key,
              this.group,
              this.consumerName,
              this.claimIdleMs,
              '0-0',
              'COUNT',
              free,
            )) as [string, (StreamEntry | null)[]];
            const entries = (claimed[1] ?? []).filter((e): e is StreamEntry => e !== null);
            for (const [id, fields] of entries) deliver(id, bodyOf(fields));
            if (entries.length > 0) continue;
          }
          const reply = await reader.xreadgroup(
            'GROUP',
            this.group,
            this.consumerName,
            'COUNT',
            free,
            'BLOCK',
            Math.min(this.blockMs, Math.max(1, Math.floor(this.claimIdleMs / 2))),
            'STREAMS',
            key,
            '>',
          );
          for (const [id, fields] of entriesOf(reply)) deliver(id, bodyOf(fields));
        } catch (error) {
          if (!open) break;
          if (reasonOf(error).includes('NOGROUP')) {
            this.groups.delete(key);
            await this.ensureGroup(key).catch(() => undefined);
          }
          await this.pause();
        }
      }
    })();
    return {
      close: async () => {
        open = false;
        wake?.();
        this.drop(reader);
        await loop;
      },
    };
  }

  /** Returns the entries of `queue` delivered to some consumer and not yet acknowledged. */
  async pendingCount(queue: string): Promise<number> {
    const summary = (await this.client.xpending(this.queueKey(queue), this.group)) as [number];
    return Number(summary[0] ?? 0);
  }

  /** Returns how many entries the queue's stream holds (waiting or pending). */
  async depth(queue: string): Promise<number> {
    return this.client.xlen(this.queueKey(queue));
  }

  /** Closes every connection; pending entries stay for other consumers to claim. */
  async close(): Promise<void> {
    for (const reader of this.readers) this.drop(reader);
    if (this.acker !== undefined) {
      const acker = this.acker;
      await acker.quit().catch(() => dropRedis(acker));
    }
    await this.client.quit().catch(() => dropRedis(this.client));
  }

  private async lastId(key: string): Promise<string> {
    const last = (await this.client.xrevrange(key, '+', '-', 'COUNT', 1)) as StreamEntry[];
    return last[0]?.[0] ?? '0-0';
  }

  private async ensureGroup(key: string): Promise<void> {
    if (this.groups.has(key)) return;
    try {
      await this.client.xgroup('CREATE', key, this.group, '0', 'MKSTREAM');
    } catch (error) {
      if (!reasonOf(error).includes('BUSYGROUP')) throw error;
    }
    this.groups.add(key);
  }

  private acknowledger(): Redis {
    this.acker ??= openRedis(this.connection, 'qtp-streams-acks', false);
    return this.acker;
  }

  private reader(name: string): Redis {
    const reader = openRedis(this.connection, name, false);
    this.readers.add(reader);
    return reader;
  }

  private drop(reader: Redis): void {
    this.readers.delete(reader);
    dropRedis(reader);
  }

  // Waits a moment before the next read after an error (the server is restarting, say).
  private pause(): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(() => resolve(), 100));
  }
}
