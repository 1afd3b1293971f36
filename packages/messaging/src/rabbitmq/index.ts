/**
 * The RabbitMQ broker of `@qtp/messaging`: {@link RabbitMqBroker}, on AMQP 0-9-1 with publisher
 * confirms, manual acknowledgement, prefetch, TTL, priority queues, a dead-letter exchange and
 * automatic reconnect. Needs the optional peer `amqplib`.
 *
 * @module
 */
export { RabbitMqBroker, type RabbitMqBrokerOptions } from './rabbitmq-broker.js';
