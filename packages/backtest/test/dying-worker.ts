// A sweep worker that dies: it takes one job from the queue, prints its id and exits without
// acknowledging it, as a worker process would if its machine went down mid-job.
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';

const [url, queue] = process.argv.slice(2) as [string, string];
const broker = new RabbitMqBroker({ url });
await broker.consume(
  queue,
  (delivery) => {
    process.stdout.write(`took ${delivery.envelope.id}\n`);
    process.exit(1);
  },
  { prefetch: 1 },
);
process.stdout.write('ready\n');
