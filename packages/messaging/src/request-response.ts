import { type Clock, LiveClock, TimeoutError, type TimerId } from '@qtp/core';
import { type Broker, isQueueBroker, type Subscription } from './broker.js';
import type { MessageCodec } from './codecs.js';
import { createEnvelope, type Envelope } from './envelope.js';
import {
  ERROR_REPLY_TYPE,
  RemoteError,
  type RemoteErrorPayload,
  remoteErrorPayload,
} from './errors.js';
import { decodePayload } from './payload.js';

/** What a requester and its responders agree on. */
export interface RequestChannelOptions<Request, Response> {
  readonly broker: Broker;
  /** The service's name: a queue on brokers with queues (responders compete), else a topic. */
  readonly service: string;
  readonly requestCodec: MessageCodec<Request>;
  readonly responseCodec: MessageCodec<Response>;
  /** Stamps envelopes and times the timeouts; a `LiveClock` by default. */
  readonly clock?: Clock;
}

/** Options of {@link Requester}. */
export interface RequesterOptions<Request, Response>
  extends RequestChannelOptions<Request, Response> {
  /** How long a request waits for its reply, in ms; 5000 by default. */
  readonly timeoutMs?: number;
}

interface Pending<Response> {
  resolve(value: Response): void;
  reject(error: unknown): void;
  timer: TimerId;
}

/**
 * Sends requests to a service and awaits their replies: each request carries a fresh
 * correlation id and this requester's reply topic; the reply with that correlation id settles it.
 * A request without a reply in `timeoutMs` rejects with a `TimeoutError`; an error the responder
 * threw comes back as a {@link RemoteError} with the same code.
 *
 * @example
 * ```ts
 * import { InMemoryBroker, jsonCodec, Requester } from '@qtp/messaging';
 * import * as z from 'zod';
 * const requester = new Requester({
 *   broker: new InMemoryBroker(),
 *   service: 'quotes',
 *   requestCodec: jsonCodec('quote.request', z.object({ symbol: z.string() })),
 *   responseCodec: jsonCodec('quote.response', z.object({ price: z.string() })),
 * });
 * const { price } = await requester.request({ symbol: 'BTCUSDT' });
 * ```
 */
export class Requester<Request, Response> {
  private readonly options: RequestChannelOptions<Request, Response>;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly replyTopic: string;
  private readonly pending = new Map<string, Pending<Response>>();
  private subscription: Promise<Subscription> | undefined;

  /** Creates the requester; it subscribes to its reply topic on the first request. */
  constructor(options: RequesterOptions<Request, Response>) {
    this.options = options;
    this.clock = options.clock ?? new LiveClock();
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.replyTopic = `${options.service}.reply.${crypto.randomUUID()}`;
  }

  /** Sends the request and resolves with the decoded reply. */
  async request(value: Request, options: { timeoutMs?: number } = {}): Promise<Response> {
    this.subscription ??= this.options.broker.subscribe(this.replyTopic, (reply) =>
      this.settle(reply),
    );
    await this.subscription;
    const { broker, service, requestCodec } = this.options;
    const envelope = createEnvelope(this.clock, {
      type: requestCodec.type,
      schemaVersion: requestCodec.schemaVersion,
      payload: requestCodec.encode(value),
      replyTo: this.replyTopic,
    });
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const reply = new Promise<Response>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending.delete(envelope.id);
        reject(new TimeoutError(`no reply from ${service} within ${timeoutMs} ms`, timeoutMs));
      }, timeoutMs);
      this.pending.set(envelope.id, { resolve, reject, timer });
    });
    // The reply may settle before the send resolves; it is awaited below.
    reply.catch(() => undefined);
    try {
      if (isQueueBroker(broker)) await broker.send(service, envelope);
      else await broker.publish(service, envelope);
    } catch (error) {
      const entry = this.pending.get(envelope.id);
      if (entry !== undefined) {
        this.clock.cancel(entry.timer);
        this.pending.delete(envelope.id);
      }
      throw error;
    }
    return reply;
  }

  /** Rejects what is pending and ends the reply subscription. */
  async close(): Promise<void> {
    for (const [id, entry] of this.pending) {
      this.clock.cancel(entry.timer);
      entry.reject(new TimeoutError('the requester closed before the reply', 0));
      this.pending.delete(id);
    }
    const subscription = await this.subscription;
    await subscription?.close();
  }

  private settle(reply: Envelope): void {
    const id = reply.correlationId;
    const entry = id === undefined ? undefined : this.pending.get(id);
    if (id === undefined || entry === undefined) return;
    this.pending.delete(id);
    this.clock.cancel(entry.timer);
    if (reply.type === ERROR_REPLY_TYPE) {
      entry.reject(new RemoteError(reply.payload as RemoteErrorPayload));
      return;
    }
    try {
      entry.resolve(decodePayload(this.options.responseCodec, reply));
    } catch (error) {
      entry.reject(error);
    }
  }
}

/** Answers one request; a throw becomes an error reply. */
export type RequestHandler<Request, Response> = (
  request: Request,
  envelope: Envelope,
) => Response | Promise<Response>;

/**
 * Serves a service's requests: decodes each, runs the handler and publishes the reply (or the
 * error, with its code) on the requester's reply topic with the request's id as correlation id.
 * On brokers with queues, responders compete for requests; elsewhere every responder answers.
 *
 * @example
 * ```ts
 * import { InMemoryBroker, jsonCodec, serveRequests } from '@qtp/messaging';
 * import * as z from 'zod';
 * await serveRequests(
 *   {
 *     broker: new InMemoryBroker(),
 *     service: 'quotes',
 *     requestCodec: jsonCodec('quote.request', z.object({ symbol: z.string() })),
 *     responseCodec: jsonCodec('quote.response', z.object({ price: z.string() })),
 *   },
 *   async () => ({ price: '64000.10' }),
 * );
 * ```
 */
export async function serveRequests<Request, Response>(
  options: RequestChannelOptions<Request, Response>,
  handler: RequestHandler<Request, Response>,
): Promise<Subscription> {
  const { broker, service, requestCodec, responseCodec } = options;
  const clock = options.clock ?? new LiveClock();
  const answer = async (request: Envelope) => {
    if (request.replyTo === undefined) return;
    let reply: Envelope;
    try {
      const value = await handler(decodePayload(requestCodec, request), request);
      reply = createEnvelope(clock, {
        type: responseCodec.type,
        schemaVersion: responseCodec.schemaVersion,
        payload: responseCodec.encode(value),
        correlationId: request.id,
      });
    } catch (error) {
      reply = createEnvelope(clock, {
        type: ERROR_REPLY_TYPE,
        payload: remoteErrorPayload(error),
        correlationId: request.id,
      });
    }
    await broker.publish(request.replyTo, reply);
  };
  if (isQueueBroker(broker)) {
    return broker.consume(service, async (delivery) => {
      // A reply that cannot be published leaves the requester to time out; the request is done.
      await answer(delivery.envelope).catch(() => undefined);
      await delivery.ack();
    });
  }
  return broker.subscribe(service, answer);
}
