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
  type PreTradeDecision,
  type PreTradeGate,
  SeededIdGenerator,
  SimulatedClock,
  TRADING_STATE_TOPIC,
  type TradingState,
} from '@qtp/core';
import {
  type DashboardSnapshot,
  mountDashboard,
  type TradingStateChange,
  type TradingStateControl,
} from '@qtp/dashboard';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
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

// The host's trading state: a stand-in for a risk engine, refusing every order while not ACTIVE
// and announcing each change on the bus, where the dashboard hears it.
class AccountState implements TradingStateControl, PreTradeGate {
  state: TradingState = 'ACTIVE';
  constructor(
    private readonly announce: (
      from: TradingState,
      change: TradingStateChange,
      to: TradingState,
    ) => void,
  ) {}
  setState(state: TradingState, change: TradingStateChange): void {
    const from = this.state;
    this.state = state;
    this.announce(from, change, state);
  }
  states() {
    return [{ scope: { kind: 'account', id: 'main' } as const, state: this.state }];
  }
  check(): PreTradeDecision {
    return this.state === 'ACTIVE'
      ? { approved: true }
      : {
          approved: false,
          reason: { code: `STATE_${this.state}`, message: `trading state is ${this.state}` },
        };
  }
}

const clock = new SimulatedClock();
let engine: TradingEngine | undefined;
const account = new AccountState((from, change, to) =>
  engine?.bus.publish(
    TRADING_STATE_TOPIC as never,
    {
      type: 'risk.state',
      scope: change.scope ?? { kind: 'account', id: 'main' },
      from,
      to,
      setBy: change.setBy,
      reason: change.reason,
      timeMs: clock.now(),
    } as never,
  ),
);
engine = new TradingEngine({
  clock,
  exchanges: [new SimulatedExchange({ clock, instruments: [adaBtc], balances: { BTC: '1' } })],
  instruments: [adaBtc],
  preTradeGate: account,
  idGenerator: new SeededIdGenerator({ seed: 1 }),
  strategies: [
    new SmaCrossover({
      id: 'sma',
      params: { instrumentId: id, fastPeriod: 30, slowPeriod: 120, quantity: '2000' },
    }),
  ],
});

// A token for this run only; a real host reads it from its secrets.
const token = process.env.QTP_DASHBOARD_TOKEN ?? randomBytes(18).toString('base64url');
const dashboard = await mountDashboard(engine, {
  token,
  control: account,
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
  await dashboard.close();
  await engine.stop();
} else {
  console.log('replay done; the dashboard keeps serving until Ctrl-C');
  process.on('SIGINT', () => {
    void dashboard.close().then(() => process.exit(0));
  });
}
