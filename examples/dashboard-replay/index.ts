// The dashboard on a replayed backtest: an SMA crossover on real Binance ADA/BTC one-minute bars,
// replayed through the engine at a pace a person can watch, with the dashboard mounted on it.
// `pnpm dashboard` opens it and keeps serving until Ctrl-C; with `--once` (how CI runs the
// examples) it replays at full speed, prints what the dashboard shows and exits.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readCsvBars } from '@qtp/backtest';
import {
  createBarEvent,
  Instrument,
  type Instrument as InstrumentType,
  instrumentId,
  type MarketDataEvent,
  SeededIdGenerator,
  SimulatedClock,
} from '@qtp/core';
import { type DashboardSnapshot, mountDashboard, riskEngineControl } from '@qtp/dashboard';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { RiskEngine } from '@qtp/risk';
import { SmaCrossover } from '@qtp/strategy';

const once = process.argv.includes('--once');
const BARS_PER_SECOND = 200;

const id = instrumentId('ADABTC', 'BINANCE');
const adaBtc: InstrumentType = new Instrument({
  id,
  baseAsset: 'ADA',
  quoteAsset: 'BTC',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  minNotional: '0.0001',
  takerFee: '0.001',
  makerFee: '0.001',
});

// The risk engine gates every order (a position limit, at most ten open orders) and owns the
// trading states the dashboard switches; it announces each change on the engine's bus.
const clock = new SimulatedClock();
const risk = new RiskEngine({
  clock,
  config: { account: { maxPosition: 20_000, maxOpenOrders: 10 } },
});
const engine = new TradingEngine({
  clock,
  exchanges: [new SimulatedExchange({ clock, instruments: [adaBtc], balances: { BTC: '1' } })],
  instruments: [adaBtc],
  preTradeGate: risk,
  idGenerator: new SeededIdGenerator({ seed: 1 }),
  strategies: [
    new SmaCrossover({
      id: 'sma',
      params: { instrumentId: id, fastPeriod: 30, slowPeriod: 120, quantity: '2000' },
    }),
  ],
});
risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });

// A token for this run only; a real host reads it from its secrets.
const token = process.env.QTP_DASHBOARD_TOKEN ?? randomBytes(18).toString('base64url');
const dashboard = await mountDashboard(engine, {
  token,
  control: riskEngineControl(risk),
  port: Number(process.env.PORT ?? 0),
});

const file = fileURLToPath(new URL('../data/ADABTC-1m.csv', import.meta.url));
async function* replay(): AsyncGenerator<MarketDataEvent> {
  let count = 0;
  for await (const bar of readCsvBars(file, { instrumentId: id, interval: '1m', gaps: 'fill' })) {
    yield createBarEvent(bar);
    // Paced so the page fills in over a minute or so; CI replays at full speed.
    if (!once && ++count % BARS_PER_SECOND === 0)
      await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

if (!once) {
  console.log(`dashboard: ${dashboard.url}`);
  console.log(`control token (paste it into the page to use the controls): ${token}`);
}
await engine.run(replay());

const snapshot = (await (await fetch(`${dashboard.url}/api/snapshot`)).json()) as DashboardSnapshot;
const last = snapshot.equity.equity.at(-1);
console.log(
  `replayed ${snapshot.equity.recordedPoints} bars; equity ${last?.toFixed(6)} BTC, max drawdown ${(snapshot.equity.maxDrawdown * 100).toFixed(2)} %, ${snapshot.fills.total} fills`,
);
if (once) {
  const health = await fetch(`${dashboard.url}/ready`);
  console.log(`ready: ${health.status}`);
  for (const limit of snapshot.risk.limits) {
    console.log(
      `limit ${limit.name}: ${limit.used} of ${limit.limit}${limit.unit === undefined ? '' : ` ${limit.unit}`}`,
    );
  }
  await dashboard.close();
  await engine.stop();
} else {
  console.log('replay done; the dashboard keeps serving until Ctrl-C');
  process.on('SIGINT', () => {
    void dashboard.close().then(() => process.exit(0));
  });
}
