import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createBar,
  createBarEvent,
  createFill,
  createMoney,
  Decimal,
  EventBus,
  instrumentId,
  isQtpError,
  LiveClock,
  type MarketDataEvent,
  type OrderEvent,
  SimulatedClock,
} from '@qtp/core';
import {
  type Alert,
  type AlertSink,
  type Broker,
  BusSink,
  createEnvelope,
  InMemoryBroker,
  marketDataEventCodec,
  orderEventCodec,
  PriceAlertHandler,
  RiskEventHandler,
  type SystemEvent,
  SystemEventHandler,
  type SystemHealthStatus,
  systemEventCodec,
  TradeLogHandler,
  tradingStateCodec,
  WebhookSink,
} from '@qtp/messaging';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { RedisPubSubBroker, RedisStreamsBroker } from '@qtp/messaging/redis';
import { sharedRabbitMq, sharedRedis, uniqueName } from '@qtp/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './broker-conformance.js';

// Every broker that carries topics: each handler's tests run on each, on the real servers.
const brokers: [string, () => Promise<Broker>][] = [
  ['memory', async () => new InMemoryBroker()],
  [
    'redis-streams',
    async () => {
      const redis = await sharedRedis();
      return new RedisStreamsBroker({
        connection: redis.url,
        prefix: redis.keyPrefix('handlers'),
        blockMs: 100,
      });
    },
  ],
  [
    'redis-pubsub',
    async () => {
      const redis = await sharedRedis();
      return new RedisPubSubBroker({ connection: redis.url, prefix: redis.keyPrefix('handlers') });
    },
  ],
  ['rabbitmq', async () => new RabbitMqBroker({ url: await (await sharedRabbitMq()).takeVhost() })],
];
// The broker of the suite that runs now; the suites run one after the other.
let broker: Broker;
const live = new LiveClock();
const btc = instrumentId('BTCUSDT', 'BINANCE');

class MemorySink implements AlertSink {
  readonly alerts: Alert[] = [];
  async send(alert: Alert) {
    this.alerts.push(alert);
  }
}

function bar(minute: number, close: number): MarketDataEvent {
  return createBarEvent(
    createBar({
      instrumentId: btc,
      interval: '1m',
      openTimeMs: minute * 60_000,
      closeTimeMs: minute * 60_000 + 59_999,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1,
    }),
  );
}

const publishBar = (topic: string, event: MarketDataEvent) =>
  broker.publish(
    topic,
    createEnvelope(live, {
      type: marketDataEventCodec.type,
      payload: marketDataEventCodec.encode(event),
    }),
  );

describe('WebhookSink', () => {
  it('signs the body, retries a 503 and gives up on a 400', async () => {
    const received: { attempt: string; signature: string; body: string }[] = [];
    const answers = [503, 200, 400];
    const server = createServer((request: IncomingMessage, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received.push({
          attempt: String(request.headers['x-qtp-attempt']),
          signature: String(request.headers['x-qtp-signature']),
          body,
        });
        response.statusCode = answers.shift() ?? 500;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sink = new WebhookSink({
      url: `http://127.0.0.1:${port}/alerts`,
      secret: 'shh',
      clock: live,
      backoffMs: () => 1,
    });
    const alert: Alert = { kind: 'price.above', severity: 'info', message: 'up', time: 1 };
    await sink.send(alert);
    expect(received.map((r) => r.attempt)).toEqual(['1', '2']);
    const expected = `sha256=${createHmac('sha256', 'shh').update(JSON.stringify(alert)).digest('hex')}`;
    expect(received[1]?.signature).toBe(expected);
    expect(JSON.parse(received[1]?.body ?? '')).toEqual(alert);
    const refused = await sink.send(alert).catch((error: unknown) => error);
    expect(isQtpError(refused, 'VALIDATION')).toBe(true);
    expect(received).toHaveLength(3);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe.each(brokers)('handlers on %s', (_name, open) => {
  beforeAll(async () => {
    broker = await open();
  });
  afterAll(() => broker.close());

  describe('PriceAlertHandler', () => {
    it('alerts once per threshold crossing, on percent moves and on a stale feed', async () => {
      const topic = uniqueName('md');
      const sink = new MemorySink();
      const clock = new SimulatedClock({ startMs: 0 });
      const handler = new PriceAlertHandler({
        broker,
        topic,
        sinks: [sink],
        clock,
        thresholds: [{ instrumentId: btc, above: 100, below: 90 }],
        percentMove: { percent: 5, windowMs: 3 * 60_000 },
        staleAfterMs: 60_000,
      });
      await handler.start();
      // 95 -> 101 crosses 100 up (and is +6.3 %: a move); 102 stays above; 99 then 101 crosses again;
      // 89 crosses 90 down; the first price of the 3-minute window before it (minutes 2 to 4,
      // after the first move restarted the window at minute 1) is 102: -12.7 %, a move.
      for (const [minute, close] of [95, 101, 102, 99, 101, 89].entries()) {
        await publishBar(topic, bar(minute, close));
      }
      await publishBar(topic, bar(2, 95)); // before the last event time: out of order
      await eventually('the alerts', () => sink.alerts.length >= 6);
      clock.advanceBy(60_000);
      await handler.checkStale();
      await handler.stop();
      expect(sink.alerts.map((a) => a.kind)).toEqual([
        'price.above',
        'price.move',
        'price.above',
        'price.below',
        'price.move',
        'market-data.out-of-order',
        'feed.stale',
      ]);
      const moves = sink.alerts.filter((a) => a.kind === 'price.move');
      // (101 - 95) / 95 and (89 - 102) / 102, in percent.
      expect(moves[0]?.details?.percent).toBeCloseTo(6.3158, 4);
      expect(moves[1]?.details?.percent).toBeCloseTo(-12.7451, 4);
    });
  });

  describe('RiskEventHandler', () => {
    it('turns a halt into a critical alert on the bus', async () => {
      const topic = uniqueName('risk');
      const bus = new EventBus<{ alert: Alert }>();
      const heard: Alert[] = [];
      bus.subscribe('alert', (alert) => void heard.push(alert));
      const handler = new RiskEventHandler({ broker, topic, sinks: [new BusSink({ bus })] });
      await handler.start();
      const change = {
        type: 'risk.state' as const,
        scope: { kind: 'account' as const, id: 'main' },
        from: 'ACTIVE' as const,
        to: 'HALTED' as const,
        setBy: 'drawdown-halt',
        reason: 'drawdown 12 % over the 10 % limit',
        timeMs: 1,
      };
      await broker.publish(
        topic,
        createEnvelope(live, { type: tradingStateCodec.type, payload: change }),
      );
      await eventually('the alert', () => heard.length === 1);
      await handler.stop();
      expect(heard[0]).toMatchObject({
        kind: 'risk.halted',
        severity: 'critical',
        subject: 'account main',
        message:
          'account main: ACTIVE -> HALTED by drawdown-halt: drawdown 12 % over the 10 % limit',
      });
    });
  });

  describe('TradeLogHandler', () => {
    it('books each fill once by trade id into the trade log and an exact net position', async () => {
      const topic = uniqueName('orders');
      const sink = new MemorySink();
      const handler = new TradeLogHandler({ broker, topic, sinks: [sink] });
      await handler.start();
      const fillEvent = (tradeId: string, side: 'BUY' | 'SELL', quantity: string): OrderEvent => ({
        type: 'order.fill',
        clientOrderId: `order-${tradeId}` as never,
        instrumentId: btc,
        status: 'PARTIALLY_FILLED',
        stateUnknown: false,
        tags: [],
        filledQuantity: new Decimal(quantity),
        leavesQuantity: new Decimal('0'),
        timeMs: 1,
        fill: createFill({
          tradeId,
          clientOrderId: `order-${tradeId}`,
          venueOrderId: tradeId,
          instrumentId: btc,
          side,
          price: '64000.10',
          quantity,
          fee: createMoney('0.01', 'USDT'),
          liquiditySide: 'TAKER',
          timeMs: 1,
        }),
      });
      const send = (event: OrderEvent) =>
        broker.publish(
          topic,
          createEnvelope(live, {
            type: orderEventCodec.type,
            payload: orderEventCodec.encode(event),
          }),
        );
      await send(fillEvent('t1', 'BUY', '0.5'));
      await send(fillEvent('t2', 'BUY', '0.25'));
      await send(fillEvent('t1', 'BUY', '0.5')); // the venue reported t1 again
      await send(fillEvent('t3', 'SELL', '0.1'));
      await eventually('three trades', () => handler.trades().length === 3);
      await handler.stop();
      expect(handler.trades().map((t) => t.tradeId)).toEqual(['t1', 't2', 't3']);
      // 0.5 + 0.25 - 0.1, exactly.
      expect(handler.position(btc).toString()).toBe('0.65');
      expect(handler.status('order-t3')).toBe('PARTIALLY_FILLED');
    });
  });

  describe('SystemEventHandler', () => {
    it('alerts on health changes and counts errors per code, once per message', async () => {
      const topic = uniqueName('system');
      const sink = new MemorySink();
      const handler = new SystemEventHandler({ broker, topic, sinks: [sink], errorAlertEvery: 3 });
      await handler.start();
      const send = (event: SystemEvent, id?: string) => {
        const envelope = createEnvelope(live, {
          type: systemEventCodec.type,
          payload: systemEventCodec.encode(event),
        });
        return broker.publish(topic, id === undefined ? envelope : { ...envelope, id });
      };
      const health = (component: string, status: SystemHealthStatus, timeMs: number) =>
        send({ type: 'system.health', component, status, timeMs, reason: `probe at ${timeMs}` });
      const error = (component: string, code: string, timeMs: number, id?: string) =>
        send({ type: 'system.error', component, code, message: `failed at ${timeMs}`, timeMs }, id);

      await health('postgres', 'UP', 1); // first seen up: nothing to say
      await health('postgres', 'DEGRADED', 2);
      await health('postgres', 'DEGRADED', 3); // no change
      await health('postgres', 'UP', 1); // older than the last report: ignored
      await health('postgres', 'DOWN', 4);
      await health('binance-ws', 'DOWN', 5); // first seen down
      await health('postgres', 'UP', 6);
      // NETWORK errors 1 to 7, one sent twice under the same id; RATE_LIMIT once.
      await error('binance-ws', 'NETWORK', 10, 'net-1');
      await error('binance-ws', 'NETWORK', 10, 'net-1');
      for (let n = 2; n <= 6; n++) await error('binance-ws', 'NETWORK', 10 + n);
      await error('binance-rest', 'NETWORK', 17);
      await error('binance-rest', 'RATE_LIMIT', 18);
      await eventually('the counts', () => handler.errorCounts().get('RATE_LIMIT') === 1);
      await handler.stop();

      expect(handler.health('postgres')).toBe('UP');
      expect(handler.health('binance-ws')).toBe('DOWN');
      expect(handler.health('redis')).toBeUndefined();
      expect([...handler.errorCounts()]).toEqual([
        ['NETWORK', 7],
        ['RATE_LIMIT', 1],
      ]);
      expect([...handler.errorCountsOf('binance-ws')]).toEqual([['NETWORK', 6]]);
      expect([...handler.errorCountsOf('binance-rest')]).toEqual([
        ['NETWORK', 1],
        ['RATE_LIMIT', 1],
      ]);
      // Errors alert on the 1st, 3rd and 6th NETWORK (every 3rd after the first) and the 1st RATE_LIMIT.
      expect(sink.alerts.map((a) => [a.kind, a.severity, a.message])).toEqual([
        ['system.health.degraded', 'warning', 'postgres: UP -> DEGRADED: probe at 2'],
        ['system.health.down', 'critical', 'postgres: DEGRADED -> DOWN: probe at 4'],
        ['system.health.down', 'critical', 'binance-ws: UP -> DOWN: probe at 5'],
        ['system.health.up', 'info', 'postgres: DOWN -> UP: probe at 6'],
        ['system.error', 'warning', 'binance-ws: NETWORK (1 so far): failed at 10'],
        ['system.error', 'warning', 'binance-ws: NETWORK (3 so far): failed at 13'],
        ['system.error', 'warning', 'binance-ws: NETWORK (6 so far): failed at 16'],
        ['system.error', 'warning', 'binance-rest: RATE_LIMIT (1 so far): failed at 18'],
      ]);
    });

    it('refuses an error code that is not SCREAMING_SNAKE and a bad alert period', () => {
      expect(() =>
        systemEventCodec.decode({
          type: 'system.error',
          component: 'x',
          code: 'network',
          message: 'm',
          timeMs: 1,
        }),
      ).toThrow(/code/);
      const refused = (() => {
        try {
          return new SystemEventHandler({ broker, topic: 't', sinks: [], errorAlertEvery: 0 });
        } catch (error) {
          return error;
        }
      })();
      expect(isQtpError(refused, 'VALIDATION')).toBe(true);
    });
  });
});
