import { LiveClock } from '@qtp/core';
import { createEnvelope } from '@qtp/messaging';
import { RedisStreamsBroker } from '@qtp/messaging/redis';
import { startRedis } from '@qtp/test-services';

const clock = new LiveClock();
const redis = await startRedis();
const COUNT = 5000;
for (let round = 0; round < 8; round++) {
  const broker = new RedisStreamsBroker({ connection: redis.url, prefix: 'p:' });
  let got = 0;
  let done!: () => void;
  const all = new Promise<void>((r) => (done = r));
  const s = await broker.consume(
    'q',
    async (d) => {
      await d.ack();
      if (++got === COUNT) done();
    },
    { prefetch: 200 },
  );
  const t = performance.now();
  const sends: Promise<void>[] = [];
  for (let n = 0; n < COUNT; n++)
    sends.push(broker.send('q', createEnvelope(clock, { type: 'bench', payload: { n } })));
  await Promise.all(sends);
  const tp = performance.now();
  await all;
  console.log('send ms', (tp - t).toFixed(0), 'total ms', (performance.now() - t).toFixed(0));
  await s.close();
  await broker.close();
}
await redis.stop();
