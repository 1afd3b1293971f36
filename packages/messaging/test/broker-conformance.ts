// The suite every broker passes, run by one test file per broker against the real server.
import {
  createBar,
  createBarEvent,
  EventBus,
  instrumentId,
  isQtpError,
  LiveClock,
  type MarketDataEvent,
  TimeoutError,
  ValidationError,
} from '@qtp/core';
import {
  type Broker,
  bridgeTopic,
  createEnvelope,
  type DeadLetter,
  type Delivery,
  type Envelope,
  EventBusBridge,
  isQueueBroker,
  jsonCodec,
  marketDataEventCodec,
  RemoteError,
  Requester,
  serveRequests,
  WorkerQueue,
} from '@qtp/messaging';
import { uniqueName } from '@qtp/test-services';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';

/** How a test file gives the suite its broker. */
export interface BrokerFixture {
  /** Opens a new client of the same broker (another process would open its own). */
  open(): Promise<Broker>;
  /** Writes a raw body to a topic, as a foreign producer could. */
  publishRaw(broker: Broker, topic: string, body: string): Promise<void>;
  /** Writes a raw body to a queue, on brokers with queues. */
  sendRaw?(broker: Broker, queue: string, body: string): Promise<void>;
  /**
   * What the broker is expected to state in `guarantees`. The queue cases skip on a broker
   * without queues (Redis Pub/Sub only fans out), the priority case on one without priorities
   * (Redis Streams keeps arrival order).
   */
  readonly expects: { readonly queues: boolean; readonly priority: boolean };
}

const clock = new LiveClock();
const numbers = jsonCodec('test.number', z.object({ n: z.number().int() }));

/** Polls until `check` holds; fails with `what` after `timeoutMs` of wall time. */
export async function eventually(what: string, check: () => boolean, timeoutMs = 20_000) {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const envelopeOf = (n: number, extra: Partial<Envelope> = {}) =>
  ({ ...createEnvelope(clock, { type: numbers.type, payload: { n } }), ...extra }) as Envelope;

export function brokerConformance(name: string, fixture: BrokerFixture): void {
  describe(`${name} conforms to Broker`, () => {
    const opened: Broker[] = [];
    const open = async () => {
      const broker = await fixture.open();
      opened.push(broker);
      return broker;
    };
    afterAll(async () => {
      for (const broker of opened) await broker.close();
    });

    it('states the guarantees the suite checks', async () => {
      const broker = await open();
      expect(broker.guarantees.queues).toBe(fixture.expects.queues);
      expect(broker.guarantees.priority).toBe(fixture.expects.priority);
      expect(isQueueBroker(broker)).toBe(fixture.expects.queues);
    });

    it('delivers each published message to every subscriber, in order', async () => {
      const broker = await open();
      const topic = uniqueName('fanout');
      const a: number[] = [];
      const b: number[] = [];
      await broker.subscribe(topic, (e) => void a.push((e.payload as { n: number }).n));
      await broker.subscribe(topic, (e) => void b.push((e.payload as { n: number }).n));
      const sent = Array.from({ length: 50 }, (_, i) => i);
      for (const n of sent) await broker.publish(topic, envelopeOf(n));
      await eventually('both subscribers', () => a.length === 50 && b.length === 50);
      expect(a).toEqual(sent);
      expect(b).toEqual(sent);
    });

    it('reports a body that is not an envelope and keeps delivering', async () => {
      const broker = await open();
      const topic = uniqueName('invalid');
      const invalid: string[] = [];
      const valid: number[] = [];
      await broker.subscribe(topic, (e) => void valid.push((e.payload as { n: number }).n), {
        onInvalid: (_body, reason) => void invalid.push(reason),
      });
      await fixture.publishRaw(broker, topic, 'not json');
      await fixture.publishRaw(broker, topic, JSON.stringify({ id: 'x', type: 't' }));
      await broker.publish(topic, envelopeOf(7));
      await eventually('the valid message', () => valid.length === 1);
      expect(valid).toEqual([7]);
      expect(invalid[0]).toMatch(/^\(body\): must be JSON text/);
      expect(invalid[1]).toMatch(/schemaVersion: must be present/);
    });

    it('answers a request, returns a remote error with its code, and times out', async () => {
      const broker = await open();
      const service = uniqueName('echo');
      const channel = { broker, service, requestCodec: numbers, responseCodec: numbers };
      const responder = await serveRequests(channel, ({ n }) => {
        if (n < 0) throw new ValidationError('n', 'be at least 0', n);
        return { n: n * 2 };
      });
      const requester = new Requester({ ...channel, timeoutMs: 10_000 });
      expect(await requester.request({ n: 21 })).toEqual({ n: 42 });
      const failure = await requester.request({ n: -1 }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(RemoteError);
      expect(isQtpError(failure, 'VALIDATION')).toBe(true);
      expect((failure as RemoteError).message).toContain('n: must be at least 0, was -1');
      const nobody = new Requester({ ...channel, service: uniqueName('nobody'), timeoutMs: 200 });
      await expect(nobody.request({ n: 1 })).rejects.toBeInstanceOf(TimeoutError);
      await nobody.close();
      await requester.close();
      await responder.close();
    });

    it('bridges bus topics between processes once each, in order per instrument', async () => {
      const prefix = `${uniqueName('bridge')}.`;
      const bars = bridgeTopic({
        topic: 'md.bar',
        codec: marketDataEventCodec,
        key: (event: MarketDataEvent) => event.instrumentId,
      });
      const sourceBus = new EventBus<{ 'md.bar': MarketDataEvent }>();
      const targetBus = new EventBus<{ 'md.bar': MarketDataEvent }>();
      const target = new EventBusBridge({
        bus: targetBus,
        broker: await open(),
        inbound: [bars],
        topicPrefix: prefix,
      });
      const sourceBroker = await open();
      const source = new EventBusBridge({
        bus: sourceBus,
        broker: sourceBroker,
        outbound: [bars],
        topicPrefix: prefix,
      });
      await target.start();
      await source.start();
      const received: MarketDataEvent[] = [];
      targetBus.subscribe('md.bar', (event) => void received.push(event));
      const symbols = ['BTCUSDT', 'ETHUSDT'];
      const sent: MarketDataEvent[] = [];
      for (let i = 0; i < 40; i++) {
        const event = createBarEvent(
          createBar({
            instrumentId: instrumentId(symbols[i % 2] as string, 'BINANCE'),
            interval: '1m',
            openTimeMs: i * 60_000,
            closeTimeMs: i * 60_000 + 59_999,
            open: 100 + i,
            high: 101 + i,
            low: 99 + i,
            close: 100.5 + i,
            volume: 3,
          }),
        );
        sent.push(event);
        sourceBus.publish('md.bar', event);
      }
      await source.flush();
      // A redelivery of a message already delivered is dropped by its id.
      const duplicate = createEnvelope(clock, {
        type: marketDataEventCodec.type,
        payload: marketDataEventCodec.encode(sent[0] as MarketDataEvent),
      });
      await sourceBroker.publish(`${prefix}md.bar`, duplicate);
      await sourceBroker.publish(`${prefix}md.bar`, duplicate);
      await eventually('the bridged bars', () => received.length === 41);
      expect(received.slice(0, 40)).toEqual(sent);
      for (const symbol of symbols) {
        const times = received
          .slice(0, 40)
          .filter((e) => e.instrumentId === instrumentId(symbol, 'BINANCE'))
          .map((e) => e.eventTimeMs);
        expect(times).toEqual([...times].sort((x, y) => x - y));
      }
      await source.stop();
      await target.stop();
    });

    const queues = it.runIf(fixture.expects.queues);

    queues('hands each job to exactly one of several competing consumers', async () => {
      const producer = await open();
      if (!isQueueBroker(producer)) throw new Error('not a queue broker');
      const queue = uniqueName('compete');
      const seen = new Map<number, number>();
      for (let c = 0; c < 3; c++) {
        const consumer = await open();
        if (!isQueueBroker(consumer)) throw new Error('not a queue broker');
        await consumer.consume(queue, async (d) => {
          const { n } = d.envelope.payload as { n: number };
          seen.set(n, (seen.get(n) ?? 0) + 1);
          await d.ack();
        });
      }
      for (let n = 0; n < 60; n++) await producer.send(queue, envelopeOf(n));
      await eventually('every job', () => seen.size === 60);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    });

    queues('never holds more unsettled deliveries than the prefetch', async () => {
      const broker = await open();
      if (!isQueueBroker(broker)) throw new Error('not a queue broker');
      const queue = uniqueName('prefetch');
      const held: Delivery[] = [];
      let received = 0;
      let maxHeld = 0;
      await broker.consume(
        queue,
        (d) => {
          received++;
          held.push(d);
          maxHeld = Math.max(maxHeld, held.length);
        },
        { prefetch: 3 },
      );
      for (let n = 0; n < 10; n++) await broker.send(queue, envelopeOf(n));
      await eventually('a full prefetch', () => held.length === 3);
      while (received < 10 || held.length > 0) {
        const next = held.shift();
        if (next !== undefined) await next.ack();
        else await eventually('the next delivery', () => held.length > 0);
      }
      expect(received).toBe(10);
      expect(maxHeld).toBe(3);
    });

    queues('keeps a slow consumer to its prefetch while a flood of sends waits', async () => {
      const broker = await open();
      if (!isQueueBroker(broker)) throw new Error('not a queue broker');
      const queue = uniqueName('flood');
      const total = 200;
      const waiting: (() => void)[] = [];
      let inHandler = 0;
      let mostInHandler = 0;
      let handled = 0;
      const consumer = await broker.consume(
        queue,
        async (d) => {
          inHandler++;
          mostInHandler = Math.max(mostInHandler, inHandler);
          await new Promise<void>((resolve) => waiting.push(resolve));
          inHandler--;
          handled++;
          await d.ack();
        },
        { prefetch: 4 },
      );
      await Promise.all(Array.from({ length: total }, (_, n) => broker.send(queue, envelopeOf(n))));
      // The consumer holds its prefetch and no more; the other messages wait on the broker.
      await eventually('a full prefetch', () => inHandler === 4);
      expect(handled).toBe(0);
      while (handled < total) {
        const held = waiting.splice(0);
        for (const release of held) release();
        if (held.length === 0)
          await eventually('the next deliveries', () => waiting.length > 0 || handled === total);
      }
      await consumer.close();
      expect(handled).toBe(total);
      expect(mostInHandler).toBe(4);
    });

    queues('gives an unacknowledged job to another consumer when its consumer dies', async () => {
      const first = await open();
      const second = await open();
      if (!isQueueBroker(first) || !isQueueBroker(second)) throw new Error('not a queue broker');
      const queue = uniqueName('reclaim');
      const taken: string[] = [];
      const firstConsumer = await first.consume(queue, (d) => void taken.push(d.envelope.id));
      const job = envelopeOf(1);
      await first.send(queue, job);
      await eventually('the first delivery', () => taken.length === 1);
      await firstConsumer.close();
      await first.close();
      const redelivered: Envelope[] = [];
      await second.consume(queue, async (d) => {
        redelivered.push(d.envelope);
        await d.ack();
      });
      await eventually('the redelivery', () => redelivered.length === 1);
      expect(redelivered[0]?.id).toBe(job.id);
    });

    queues('moves a poison message to the dead letters and carries on', async () => {
      const broker = await open();
      if (!isQueueBroker(broker) || fixture.sendRaw === undefined) throw new Error('no queues');
      const queue = uniqueName('poison');
      const jobs = new WorkerQueue({ broker, queue, codec: numbers, clock });
      const done: number[] = [];
      const dead: DeadLetter[] = [];
      await jobs.work((job) => void done.push(job.n));
      await jobs.deadLetters((letter) => void dead.push(letter));
      await fixture.sendRaw(broker, queue, '{"broken":');
      await broker.send(queue, envelopeOf(5, { payload: { n: 'five' } }));
      await jobs.enqueue({ n: 6 });
      await eventually(
        'the good job and two dead letters',
        () => done.length === 1 && dead.length === 2,
      );
      expect(done).toEqual([6]);
      const reasons = dead.map((letter) => letter.reason).sort();
      expect(reasons[0]).toMatch(/^\(body\): must be JSON text/);
      expect(reasons[1]).toBe('payload.n: must be a number, was "five"');
      expect(dead.find((l) => l.body !== undefined)?.body).toBe('{"broken":');
    });

    queues(
      'retries a failing job with backoff, then dead-letters it after maxAttempts',
      async () => {
        const broker = await open();
        if (!isQueueBroker(broker)) throw new Error('not a queue broker');
        const queue = uniqueName('retry');
        const jobs = new WorkerQueue({
          broker,
          queue,
          codec: numbers,
          clock,
          maxAttempts: 3,
          backoffMs: (attempt) => attempt * 10,
        });
        const attempts = new Map<number, number[]>();
        await jobs.work((job, envelope) => {
          attempts.set(job.n, [...(attempts.get(job.n) ?? []), envelope.attempt]);
          // Job 1 succeeds on its third attempt; job 2 never does.
          if (job.n === 2 || envelope.attempt < 3) throw new Error(`boom ${job.n}`);
        });
        const dead: DeadLetter[] = [];
        await jobs.deadLetters((letter) => void dead.push(letter));
        const id = await jobs.enqueue({ n: 2 });
        await jobs.enqueue({ n: 1 });
        await eventually(
          'the dead letter',
          () => dead.length === 1 && attempts.get(1)?.length === 3,
        );
        expect(attempts.get(1)).toEqual([1, 2, 3]);
        expect(attempts.get(2)).toEqual([1, 2, 3]);
        expect(dead[0]?.reason).toBe('failed 3 attempts: boom 2');
        expect(dead[0]?.envelope?.id).toBe(id);
      },
    );

    it.runIf(fixture.expects.priority)(
      'delivers queued jobs highest priority first, then in arrival order',
      async () => {
        const broker = await open();
        if (!isQueueBroker(broker)) throw new Error('not a queue broker');
        const queue = uniqueName('priority');
        const jobs = new WorkerQueue({ broker, queue, codec: numbers, clock });
        const priorities = [3, 0, 9, 3, 5, 0, 9, 1, 5, 3];
        for (const [n, priority] of priorities.entries()) await jobs.enqueue({ n }, { priority });
        const order: number[] = [];
        await jobs.work((job) => void order.push(job.n), { prefetch: 1 });
        await eventually('every job', () => order.length === priorities.length);
        // Worked out by hand: 9s (2, 6), 5s (4, 8), 3s (0, 3, 9), 1 (7), 0s (1, 5).
        expect(order).toEqual([2, 6, 4, 8, 0, 3, 9, 7, 1, 5]);
      },
    );
  });
}
