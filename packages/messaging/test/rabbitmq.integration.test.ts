import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { sharedRabbitMq } from '@qtp/test-services';
import { brokerConformance } from './broker-conformance.js';

const rabbit = await sharedRabbitMq();
const url = await rabbit.takeVhost();

brokerConformance('rabbitmq', {
  expects: { queues: true, priority: true },
  open: async () => new RabbitMqBroker({ url }),
  publishRaw: (broker, topic, body) => (broker as RabbitMqBroker).publishRaw(topic, body),
  sendRaw: (broker, queue, body) => (broker as RabbitMqBroker).sendRaw(queue, body),
});
