// The engine under test, in a process of its own: it journals to PostgreSQL and trades on a
// venue in the test process. Phase `trade` submits seeded orders and advances the venue, and
// kills itself (SIGKILL) at the kill point it is given; phase `recover` starts a new engine on
// the same journal, lets it reconcile, prints its recovery report and exits.
import {
  createOrderRequest,
  Instrument,
  instrumentId,
  type OrderRequest,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { TradingEngine } from '@qtp/engine';
import type { OrderJournal, OrderRecord } from '@qtp/oms';
import { PostgresOrderJournal } from '@qtp/store/postgres';
import pg from 'pg';
import { IpcExchange } from './ipc-exchange.js';

export type KillKind = 'beforeJournal' | 'afterJournal' | 'afterSend' | 'betweenFills';
export interface KillPoint {
  readonly kind: KillKind;
  readonly at: number;
}

export const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'SIM'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

/** The seeded orders of one run: sides, limit prices that cross the venue's bars, quantities. */
export function ordersOf(seed: number, count: number): OrderRequest[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    const buy = random() < 0.5;
    return createOrderRequest({
      instrumentId: btc.id,
      side: buy ? 'BUY' : 'SELL',
      type: 'LIMIT',
      price: buy ? '101' : '99',
      quantity: (1 + Math.floor(random() * 30) / 10).toFixed(1),
    });
  });
}

function main(): Promise<void> {
  const [url, schema, phase, seedText, killText, startText] = process.argv.slice(2) as [
    string,
    string,
    'trade' | 'recover',
    string,
    string,
    string,
  ];
  const seed = Number(seedText);
  const kill: KillPoint | undefined =
    killText === 'none' ? undefined : (JSON.parse(killText) as KillPoint);
  const counts = new Map<KillKind, number>();
  const hit = (kind: KillKind) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (kill?.kind === kind && kill.at === n) process.kill(process.pid, 'SIGKILL');
  };
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
  const store = new PostgresOrderJournal({ pool });
  const journal: OrderJournal = {
    appendIntent: async (record: OrderRecord) => {
      hit('beforeJournal');
      await store.appendIntent(record);
      hit('afterJournal');
    },
    appendEvent: (record: OrderRecord) => store.appendEvent(record),
    loadAll: () => store.loadAll(),
  };
  const exchange = new IpcExchange('SIM', [btc]);
  exchange.onPlace = () => hit('afterSend');
  // Registered before the engine's listener, so the kill comes before the fill is handled.
  exchange.executions.on('fill', () => hit('betweenFills'));
  const engine = new TradingEngine({
    clock: new SimulatedClock({ startMs: Number(startText) }),
    exchanges: [exchange],
    instruments: [btc],
    orderJournal: journal,
    idGenerator: new SeededIdGenerator({ seed }),
    recovery: { orphans: 'cancel' },
  });
  let report: unknown;
  engine.bus.subscribe('engine.recovered', (event) => {
    report = event.report;
  });
  return (async () => {
    await engine.start();
    await engine.orderManager.flush();
    if (phase === 'trade') {
      for (const request of ordersOf(seed, 6)) {
        engine.orderManager.submit(request);
        await engine.orderManager.flush();
        await exchange.call('advance', []);
        await engine.orderManager.flush();
      }
      for (let i = 0; i < 4; i++) {
        await exchange.call('advance', []);
        await engine.orderManager.flush();
      }
    }
    await engine.orderManager.flush();
    engine.orderManager.close();
    await pool.end();
    process.stdout.write(`${JSON.stringify({ phase, report: report ?? null })}\n`);
    process.disconnect?.();
  })();
}

if (process.argv[1]?.endsWith('engine-process.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
