import { InMemoryBroker } from '@qtp/messaging';
import { brokerConformance } from './broker-conformance.js';

// One broker stands for the server every client of a process shares.
const shared = new InMemoryBroker();
const client = (): InMemoryBroker => {
  const handle = Object.create(shared) as InMemoryBroker;
  // Closing one client must not close the shared broker for the others.
  handle.close = async () => undefined;
  return handle;
};

brokerConformance('memory', {
  expects: { queues: true, priority: true },
  open: async () => client(),
  publishRaw: (_broker, topic, body) => shared.publishRaw(topic, body),
  sendRaw: async (_broker, queue, body) => shared.sendRaw(queue, body),
});
