// Two processes' event buses joined over a broker: the engine side forwards its bars, the
// monitor side receives each once, in order. Runs on the in-process broker; set QTP_REDIS_URL
// (redis://127.0.0.1:6379) to run the same code over Redis Streams.
import { createBar, createBarEvent, EventBus, instrumentId, type MarketDataEvent } from '@qtp/core';
import {
  type Broker,
  bridgeTopic,
  EventBusBridge,
  InMemoryBroker,
  marketDataEventCodec,
} from '@qtp/messaging';
import { RedisStreamsBroker } from '@qtp/messaging/redis';

type Topics = { 'md.bar': MarketDataEvent };
const redisUrl = process.env.QTP_REDIS_URL;
const memory = new InMemoryBroker();
const open = (): Broker =>
  redisUrl === undefined
    ? memory
    : new RedisStreamsBroker({ connection: redisUrl, prefix: 'example:' });

const bars = bridgeTopic({
  topic: 'md.bar',
  codec: marketDataEventCodec,
  key: (event: MarketDataEvent) => event.instrumentId,
});

// The monitor process: bars from the broker land on its own bus.
const monitorBus = new EventBus<Topics>();
const monitorBroker = open();
const monitor = new EventBusBridge({ bus: monitorBus, broker: monitorBroker, inbound: [bars] });
const received: MarketDataEvent[] = [];
monitorBus.subscribe('md.bar', (event) => void received.push(event));
await monitor.start();

// The engine process: bars published on its bus go out through the broker.
const engineBus = new EventBus<Topics>();
const engineBroker = open();
const engine = new EventBusBridge({ bus: engineBus, broker: engineBroker, outbound: [bars] });
await engine.start();

const btc = instrumentId('BTCUSDT', 'BINANCE');
for (let i = 0; i < 5; i++) {
  const close = 64_000 + i * 10;
  engineBus.publish(
    'md.bar',
    createBarEvent(
      createBar({
        instrumentId: btc,
        interval: '1m',
        openTimeMs: i * 60_000,
        closeTimeMs: i * 60_000 + 59_999,
        open: close - 5,
        high: close + 5,
        low: close - 10,
        close,
        volume: 1.5,
      }),
    ),
  );
}
await engine.flush();
while (received.length < 5) await new Promise((resolve) => setTimeout(resolve, 10));

for (const event of received) {
  if (event.type === 'bar')
    console.log(`${event.instrumentId} close ${event.bar.close} at ${event.eventTimeMs}`);
}
await engine.stop();
await monitor.stop();
await engineBroker.close();
if (engineBroker !== monitorBroker) await monitorBroker.close();
