// An engine's venue going down reaches a monitor's SystemEventHandler through a real broker.
import { EventBus, Instrument, instrumentId, SimulatedClock } from '@qtp/core';
import { type EngineEvents, TradingEngine } from '@qtp/engine';
import { ExchangeManager, SimulatedExchange } from '@qtp/exchange';
import {
  type Alert,
  type AlertSink,
  type Broker,
  bridgeTopic,
  EventBusBridge,
  SystemEventHandler,
  systemEventCodec,
} from '@qtp/messaging';
import { RabbitMqBroker } from '@qtp/messaging/rabbitmq';
import { RedisStreamsBroker } from '@qtp/messaging/redis';
import { sharedRabbitMq, sharedRedis } from '@qtp/test-services';
import { describe, expect, it } from 'vitest';

const btcA = instrumentId('BTCUSDT', 'A');

const instrumentOn = (name: string) =>
  new Instrument({
    id: instrumentId('BTCUSDT', name),
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    priceIncrement: '0.01',
    sizeIncrement: '0.001',
  });

class MemorySink implements AlertSink {
  readonly alerts: Alert[] = [];
  async send(alert: Alert) {
    this.alerts.push(alert);
  }
}

async function eventually(what: string, check: () => boolean, timeoutMs = 20_000) {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Each entry gives a place on its server (a key prefix, a vhost) and opens clients there.
const brokers: [string, () => Promise<() => Broker>][] = [
  [
    'Redis Streams',
    async () => {
      const redis = await sharedRedis();
      const prefix = redis.keyPrefix('engine-system');
      return () => new RedisStreamsBroker({ connection: redis.url, prefix, blockMs: 100 });
    },
  ],
  [
    'RabbitMQ',
    async () => {
      const url = await (await sharedRabbitMq()).takeVhost();
      return () => new RabbitMqBroker({ url });
    },
  ],
];

describe.each(brokers)('system events over %s', (_name, place) => {
  it("raises a critical alert in the monitor when the engine's venue goes down", async () => {
    const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
    const a = new SimulatedExchange({
      clock,
      venue: 'A',
      instruments: [instrumentOn('A')],
      balances: { USDT: '1000' },
    });
    const manager = new ExchangeManager({
      venue: 'A',
      exchanges: [a],
      clock,
      health: { staleAfterMs: 10_000 },
    });
    const bus = new EventBus<EngineEvents>({ clock });
    const engine = new TradingEngine({
      exchanges: [manager],
      instruments: [instrumentOn('A')],
      clock,
      bus,
      subscriptions: [{ kind: 'trades', instrumentId: btcA }],
      syncBalances: false,
    });

    // The monitor, as it would run in a process of its own, on a broker client of its own.
    const openBroker = await place();
    const monitorBroker = openBroker();
    const sink = new MemorySink();
    const monitor = new SystemEventHandler({
      broker: monitorBroker,
      topic: ['bus.system.health', 'bus.system.error'],
      sinks: [sink],
    });
    await monitor.start();
    const engineBroker = openBroker();
    const bridge = new EventBusBridge({
      bus,
      broker: engineBroker,
      outbound: ['system.health', 'system.error'].map((topic) =>
        bridgeTopic({ topic, codec: systemEventCodec }),
      ),
    });
    await bridge.start();

    try {
      await engine.start();
      a.onTradeTick({
        instrumentId: btcA,
        price: 100,
        size: 1,
        aggressorSide: 'BUY',
        tradeId: '1',
        timeMs: clock.now(),
      });
      clock.advanceBy(11_000); // the venue falls silent past its threshold
      await bridge.flush();
      await eventually('the alert', () => sink.alerts.length === 1);
      expect(monitor.health('venue:A')).toBe('DOWN');
      expect(sink.alerts[0]).toMatchObject({
        kind: 'system.health.down',
        severity: 'critical',
        subject: 'venue:A',
        message: 'venue:A: UP -> DOWN: silent for 11000 ms',
      });
    } finally {
      await engine.stop();
      await bridge.stop();
      await monitor.stop();
      await engineBroker.close();
      await monitorBroker.close();
    }
    // The first use of a shared server can wait for its boot on a loaded machine.
  }, 180_000);
});
