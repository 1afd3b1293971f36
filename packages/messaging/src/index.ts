/**
 * `@qtp/messaging`: one {@link Broker} interface and the patterns over it, publish/subscribe,
 * request/response ({@link Requester}, {@link serveRequests}), worker and priority queues with
 * retries and dead letters ({@link WorkerQueue}), and the {@link EventBusBridge} that carries an
 * event bus's topics to other processes. Messages are {@link Envelope}s whose payloads go through
 * core's codecs and are validated on the way in. The main entry holds {@link InMemoryBroker};
 * the Redis and RabbitMQ brokers are at `@qtp/messaging/redis` and `@qtp/messaging/rabbitmq`.
 *
 * @module
 */
export {
  type Broker,
  type BrokerGuarantees,
  type ConsumeOptions,
  DEAD_LETTER_TYPE,
  type DeadLetter,
  type Delivery,
  type DeliveryHandler,
  deadLetterQueue,
  type InvalidMessageHandler,
  isQueueBroker,
  type MessageHandler,
  type QueueBroker,
  type SendOptions,
  type SubscribeOptions,
  type Subscription,
} from './broker.js';
export {
  jsonCodec,
  type MessageCodec,
  marketDataEventCodec,
  orderEventCodec,
  tradingStateCodec,
} from './codecs.js';
export { createDeadLetter } from './dead-letter.js';
export { DedupeWindow } from './dedupe-window.js';
export {
  createEnvelope,
  decodeEnvelope,
  type Envelope,
  type EnvelopeInput,
  encodeEnvelope,
  envelopeSchema,
} from './envelope.js';
export { ERROR_REPLY_TYPE, RemoteError, type RemoteErrorPayload } from './errors.js';
export {
  type BridgedTopic,
  type BridgeRejection,
  bridgeTopic,
  EventBusBridge,
  type EventBusBridgeOptions,
} from './event-bus-bridge.js';
export {
  type Alert,
  type AlertSeverity,
  type AlertSink,
  BusSink,
  LogSink,
  WebhookSink,
  type WebhookSinkOptions,
  webhookSignature,
} from './handlers/alert.js';
export {
  PriceAlertHandler,
  type PriceAlertHandlerOptions,
  type PriceThreshold,
} from './handlers/price-alert-handler.js';
export { RiskEventHandler } from './handlers/risk-event-handler.js';
export {
  type SystemErrorEvent,
  type SystemEvent,
  type SystemHealthEvent,
  type SystemHealthStatus,
  systemEventCodec,
} from './handlers/system-event.js';
export {
  SystemEventHandler,
  type SystemEventHandlerOptions,
} from './handlers/system-event-handler.js';
export { type TradeLogEntry, TradeLogHandler } from './handlers/trade-log-handler.js';
export { InMemoryBroker, type InMemoryBrokerOptions } from './in-memory-broker.js';
export { MAX_PRIORITY } from './limits.js';
export { decodePayload } from './payload.js';
export {
  type RequestChannelOptions,
  type RequestHandler,
  Requester,
  type RequesterOptions,
  serveRequests,
} from './request-response.js';
export {
  type EnqueueOptions,
  exponentialBackoffMs,
  type JobHandler,
  WorkerQueue,
  type WorkerQueueOptions,
} from './worker-queue.js';
