/**
 * Messages per second and p50/p99 latency (send to handler, one process) per broker and
 * pattern, against the raw client doing the same work: ioredis pipelined XADD with XREADGROUP
 * and XACK for Redis Streams, pipelined PUBLISH for Redis Pub/Sub, and amqplib with batched
 * publisher confirms and manual acks for RabbitMQ. Both sides send the same envelope text (the
 * raw side builds and encodes it exactly as QTP does, then skips QTP's validation on the way
 * in), with the same guarantees: confirmed, persistent and acknowledged on RabbitMQ, written
 * and acknowledged on Redis Streams. Real servers on loopback ports, started here.
 *
 * Each pair is warmed once, then run `QTP_BENCH_ROUNDS` times (5 by default) in alternating
 * order, so neither side always runs first on a cold JIT or a busy moment; the table shows the
 * median rate, the p50/p99 latency over all timed rounds, and the ratio of the medians.
 */
import { LiveClock } from '@qtp/core';
import { type Broker, createEnvelope, type QueueBroker } from '@qtp/messaging';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { RedisPubSubBroker, RedisStreamsBroker } from '@qtp/messaging/redis';
import { startRabbitMq, startRedis } from '@qtp/test-services';
import { connect } from 'amqplib';
import { Redis } from 'ioredis';

const COUNT = Number(process.env.QTP_BENCH_MESSAGES ?? 5000);
const ROUNDS = Number(process.env.QTP_BENCH_ROUNDS ?? 5);
const clock = new LiveClock();

interface Round {
  readonly perSecond: number;
  readonly latencies: readonly number[];
}

interface Figures {
  readonly name: string;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

type Wire = (onMessage: (n: number) => void) => Promise<{
  send(n: number): Promise<void>;
  flush?(): Promise<void>;
  close(): Promise<void>;
}>;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

// Sends COUNT messages as fast as `send` allows (all in flight at once, as a batch producer
// would), and resolves when the handler has seen them all.
async function measure(wire: Wire): Promise<Round> {
  const sentAt = new Float64Array(COUNT);
  const latencies: number[] = [];
  let received = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  const side = await wire((n) => {
    latencies.push(performance.now() - (sentAt[n] ?? 0));
    if (++received === COUNT) done();
  });
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < COUNT; n++) {
    sentAt[n] = performance.now();
    sends.push(side.send(n));
  }
  await side.flush?.();
  await Promise.all(sends);
  await all;
  const elapsed = performance.now() - started;
  await side.close();
  return { perSecond: (COUNT / elapsed) * 1000, latencies };
}

function summarise(name: string, rounds: readonly Round[]): Figures {
  const rates = rounds.map((r) => r.perSecond).sort((a, b) => a - b);
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    name,
    perSecond: percentile(rates, 0.5),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
}

// Warms both sides once, then alternates which goes first.
async function compare(
  qtpName: string,
  qtp: Wire,
  rawName: string,
  raw: Wire,
): Promise<[Figures, Figures]> {
  await measure(qtp);
  await measure(raw);
  const qtpRounds: Round[] = [];
  const rawRounds: Round[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      qtpRounds.push(await measure(qtp));
      rawRounds.push(await measure(raw));
    } else {
      rawRounds.push(await measure(raw));
      qtpRounds.push(await measure(qtp));
    }
  }
  return [summarise(qtpName, qtpRounds), summarise(rawName, rawRounds)];
}

let wired = 0;
const envelopeOf = (n: number) => createEnvelope(clock, { type: 'bench', payload: { n } });
const nOf = (payload: unknown) => (payload as { n: number }).n;

function qtpQueue(open: () => QueueBroker, queue: string) {
  return async (onMessage: (n: number) => void) => {
    const broker = open();
    const sub = await broker.consume(
      queue,
      async (d) => {
        onMessage(nOf(d.envelope.payload));
        await d.ack();
      },
      { prefetch: 200 },
    );
    return {
      send: (n: number) => broker.send(queue, envelopeOf(n)),
      close: async () => {
        await sub.close();
        await broker.close();
      },
    };
  };
}

function qtpTopic(open: () => Broker, topic: string) {
  return async (onMessage: (n: number) => void) => {
    const broker = open();
    const sub = await broker.subscribe(topic, (e) => onMessage(nOf(e.payload)));
    return {
      send: (n: number) => broker.publish(topic, envelopeOf(n)),
      close: async () => {
        await sub.close();
        await broker.close();
      },
    };
  };
}

const redis = await startRedis();
const rabbit = await startRabbitMq({ vhostPool: 1 });
const amqpUrl = rabbit.vhostUrl('qtp-1');
const rows: [Figures, Figures][] = [];
try {
  // Redis Streams work queue.
  const streamsQueue = `bench-${Date.now()}`;
  rows.push(
    await compare(
      'QTP RedisStreamsBroker queue',
      qtpQueue(
        () => new RedisStreamsBroker({ connection: redis.url, prefix: 'bench:' }),
        streamsQueue,
      ),
      'raw ioredis XADD pipeline + XREADGROUP',
      async (onMessage) => {
        const key = `raw:${streamsQueue}:${wired++}`;
        const writer = new Redis(redis.url);
        const reader = new Redis(redis.url);
        await writer.xgroup('CREATE', key, 'g', '0', 'MKSTREAM');
        let open = true;
        const acks: Promise<unknown>[] = [];
        const loop = (async () => {
          while (open) {
            const reply = (await reader.xreadgroup(
              'GROUP',
              'g',
              'c',
              'COUNT',
              200,
              'BLOCK',
              100,
              'STREAMS',
              key,
              '>',
            )) as [string, [string, string[]][]][] | null;
            const entries = reply?.[0]?.[1] ?? [];
            if (entries.length === 0) continue;
            const ids: string[] = [];
            for (const [id, fields] of entries) {
              onMessage(nOf(JSON.parse(fields[1] ?? '{}').payload));
              ids.push(id);
            }
            // One XACK and one XDEL for the whole read, not awaited before the next read: the
            // fastest hand-written consumer, as QTP's does.
            acks.push(
              reader
                .pipeline()
                .xack(key, 'g', ...ids)
                .xdel(key, ...ids)
                .exec(),
            );
          }
        })();
        let batch = writer.pipeline();
        return {
          send: async (n: number) => {
            batch.xadd(key, '*', 'b', JSON.stringify(envelopeOf(n)));
          },
          flush: async () => {
            const full = batch;
            batch = writer.pipeline();
            await full.exec();
          },
          close: async () => {
            open = false;
            await loop;
            await Promise.all(acks);
            writer.disconnect();
            reader.disconnect();
          },
        };
      },
    ),
  );

  // Redis Pub/Sub.
  rows.push(
    await compare(
      'QTP RedisPubSubBroker publish',
      qtpTopic(() => new RedisPubSubBroker({ connection: redis.url }), 'bench'),
      'raw ioredis PUBLISH pipeline',
      async (onMessage) => {
        const pub = new Redis(redis.url);
        const sub = new Redis(redis.url);
        sub.on('message', (_channel: string, body: string) =>
          onMessage(nOf(JSON.parse(body).payload)),
        );
        await sub.subscribe('raw-bench');
        let batch = pub.pipeline();
        return {
          send: async (n: number) => {
            batch.publish('raw-bench', JSON.stringify(envelopeOf(n)));
          },
          flush: async () => {
            await batch.exec();
            batch = pub.pipeline();
          },
          close: async () => {
            pub.disconnect();
            sub.disconnect();
          },
        };
      },
    ),
  );

  // RabbitMQ work queue.
  const rabbitQueue = `bench-${Date.now()}`;
  rows.push(
    await compare(
      'QTP RabbitMqBroker queue (confirmed)',
      qtpQueue(() => new RabbitMqBroker({ url: amqpUrl }), rabbitQueue),
      'raw amqplib batched confirms',
      async (onMessage) => {
        const model = await connect(amqpUrl);
        const publisher = await model.createConfirmChannel();
        const consumer = await model.createChannel();
        const queue = `raw-${rabbitQueue}`;
        // The queue QTP declares: a priority queue with a dead-letter route, so the server
        // does the same work for both.
        await publisher.assertQueue(`${queue}.dead`, { durable: true });
        await publisher.assertQueue(queue, {
          durable: true,
          arguments: {
            'x-max-priority': 9,
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': `${queue}.dead`,
          },
        });
        await consumer.prefetch(200);
        await consumer.consume(queue, (message) => {
          if (message === null) return;
          onMessage(nOf(JSON.parse(message.content.toString()).payload));
          consumer.ack(message);
        });
        return {
          send: async (n: number) => {
            const envelope = envelopeOf(n);
            publisher.sendToQueue(queue, Buffer.from(JSON.stringify(envelope)), {
              persistent: true,
              contentType: 'application/json',
              priority: 0,
              messageId: envelope.id,
            });
          },
          flush: () => publisher.waitForConfirms(),
          close: () => model.close(),
        };
      },
    ),
  );
} finally {
  await redis.stop();
  await rabbit.stop();
}

const fmt = (n: number, digits = 1) => n.toFixed(digits).padStart(10);
console.log(
  `\nmessaging: ${COUNT} messages a round, send to handler in one process; median of ${ROUNDS} rounds\n`,
);
console.log(
  `${'contestant'.padEnd(42)}${'msg/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'x raw'.padStart(8)}`,
);
for (const [qtp, raw] of rows) {
  for (const f of [qtp, raw]) {
    const ratio =
      f === qtp ? (qtp.perSecond / raw.perSecond).toFixed(2).padStart(8) : ''.padStart(8);
    console.log(`${f.name.padEnd(42)}${fmt(f.perSecond, 0)}${fmt(f.p50Ms)}${fmt(f.p99Ms)}${ratio}`);
  }
}
console.log('target: at least 0.80x of the raw client\n');
