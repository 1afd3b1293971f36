import { type Clock, LiveClock, ValidationError } from '@qtp/core';
import {
  DEAD_LETTER_TYPE,
  type DeadLetter,
  type Delivery,
  deadLetterQueue,
  type QueueBroker,
  type Subscription,
} from './broker.js';
import type { MessageCodec } from './codecs.js';
import { createDeadLetter, reasonOf } from './dead-letter.js';
import { createEnvelope, type Envelope } from './envelope.js';
import { decodePayload } from './payload.js';

/** Options of {@link WorkerQueue}. */
export interface WorkerQueueOptions<Job> {
  readonly broker: QueueBroker;
  /** The queue's name. */
  readonly queue: string;
  /** Encodes and checks the jobs. */
  readonly codec: MessageCodec<Job>;
  /** How many times a job is tried before it goes to the dead letters; 5 by default. */
  readonly maxAttempts?: number;
  /**
   * The wait before attempt `attempt + 1` after attempt `attempt` failed, in ms; by default
   * 100 ms doubled per attempt, at most 30 s.
   */
  readonly backoffMs?: (attempt: number) => number;
  /** Stamps envelopes and times the backoff; a `LiveClock` by default. */
  readonly clock?: Clock;
}

/** Options of {@link WorkerQueue.enqueue}. */
export interface EnqueueOptions {
  /** 0 (the default) to 9, on brokers with priorities. */
  readonly priority?: number;
  /** The message id; random by default. Consumers deduplicate by it. */
  readonly id?: string;
  /** Carried as the envelope's correlation id. */
  readonly correlationId?: string;
  /** Carried as the envelope's ordering key. */
  readonly key?: string;
}

/** Called with each job and its envelope; a throw or rejection counts as a failed attempt. */
export type JobHandler<Job> = (job: Job, envelope: Envelope<unknown>) => void | Promise<void>;

/** The default backoff: 100 ms doubled per failed attempt, at most 30 s. */
export function exponentialBackoffMs(attempt: number): number {
  return Math.min(100 * 2 ** (attempt - 1), 30_000);
}

/**
 * A work queue over any {@link QueueBroker}: competing consumers, each job acknowledged after its
 * handler succeeded; a failed job is sent again with the next attempt number after a backoff, and
 * after `maxAttempts` moves to the dead letters with the last error as reason. A job that is not
 * a valid envelope or payload goes to the dead letters at once; the worker carries on.
 *
 * @example
 * ```ts
 * import { InMemoryBroker, jsonCodec, WorkerQueue } from '@qtp/messaging';
 * import * as z from 'zod';
 * const jobs = new WorkerQueue({
 *   broker: new InMemoryBroker(),
 *   queue: 'resize',
 *   codec: jsonCodec('resize', z.object({ width: z.number() })),
 * });
 * await jobs.work(async (job) => console.log(job.width), { prefetch: 4 });
 * await jobs.enqueue({ width: 640 });
 * ```
 */
export class WorkerQueue<Job> {
  private readonly broker: QueueBroker;
  private readonly queue: string;
  private readonly codec: MessageCodec<Job>;
  private readonly maxAttempts: number;
  private readonly backoffMs: (attempt: number) => number;
  private readonly clock: Clock;

  /** Creates the queue's client; nothing is declared until the first send or consume. */
  constructor(options: WorkerQueueOptions<Job>) {
    this.broker = options.broker;
    this.queue = options.queue;
    this.codec = options.codec;
    this.maxAttempts = options.maxAttempts ?? 5;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new ValidationError('maxAttempts', 'be an integer of at least 1', this.maxAttempts);
    }
    this.backoffMs = options.backoffMs ?? exponentialBackoffMs;
    this.clock = options.clock ?? new LiveClock();
  }

  /** Sends a job; resolves with its message id once the broker has confirmed it. */
  async enqueue(job: Job, options: EnqueueOptions = {}): Promise<string> {
    const envelope = createEnvelope(this.clock, {
      type: this.codec.type,
      schemaVersion: this.codec.schemaVersion,
      payload: this.codec.encode(job),
      ...(options.id === undefined ? {} : { id: options.id }),
      ...(options.correlationId === undefined ? {} : { correlationId: options.correlationId }),
      ...(options.key === undefined ? {} : { key: options.key }),
      ...(options.priority === undefined ? {} : { priority: options.priority }),
    });
    await this.broker.send(
      this.queue,
      envelope,
      options.priority === undefined ? {} : { priority: options.priority },
    );
    return envelope.id;
  }

  /** Takes jobs from the queue and runs `handler` on each, at most `prefetch` at a time. */
  work(handler: JobHandler<Job>, options: { prefetch?: number } = {}): Promise<Subscription> {
    return this.broker.consume(this.queue, (delivery) => this.run(delivery, handler), options);
  }

  /** Calls `handler` with each dead letter of this queue and acknowledges it afterwards. */
  deadLetters(
    handler: (letter: DeadLetter, envelope: Envelope) => void | Promise<void>,
  ): Promise<Subscription> {
    return this.broker.consume(deadLetterQueue(this.queue), async (delivery) => {
      const { envelope } = delivery;
      const letter: DeadLetter =
        envelope.type === DEAD_LETTER_TYPE
          ? (envelope.payload as DeadLetter)
          : { queue: this.queue, reason: 'dead-lettered by the broker', envelope };
      await handler(letter, envelope);
      await delivery.ack();
    });
  }

  private async run(delivery: Delivery, handler: JobHandler<Job>): Promise<void> {
    const { envelope } = delivery;
    let job: Job;
    try {
      job = decodePayload(this.codec, envelope);
    } catch (error) {
      await this.bury(envelope, reasonOf(error));
      await delivery.ack();
      return;
    }
    try {
      await handler(job, envelope);
    } catch (error) {
      if (envelope.attempt >= this.maxAttempts) {
        await this.bury(envelope, `failed ${envelope.attempt} attempts: ${reasonOf(error)}`);
      } else {
        await this.wait(this.backoffMs(envelope.attempt));
        const retry = { ...envelope, attempt: envelope.attempt + 1 };
        await this.broker.send(
          this.queue,
          retry,
          envelope.priority === undefined ? {} : { priority: envelope.priority },
        );
      }
    }
    await delivery.ack();
  }

  private async bury(envelope: Envelope, reason: string): Promise<void> {
    const letter = createDeadLetter(this.clock, { queue: this.queue, reason, envelope });
    await this.broker.send(deadLetterQueue(this.queue), letter);
  }

  private wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => this.clock.setTimeout(() => resolve(), ms));
  }
}
