// A replayed backtest for the dashboard's tests: real Binance XRP/ETH 5-minute bars through the
// engine with a SimulatedExchange and an SMA crossover, gated by a real RiskEngine attached to the
// engine's bus and order manager, which the dashboard controls through `riskEngineControl`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BarEvent,
  createBar,
  createBarEvent,
  Instrument,
  instrumentId,
  SeededIdGenerator,
  SimulatedClock,
  type TradingState,
} from '@qtp/core';
import { createLogger } from '@qtp/core/observability';
import { riskEngineControl, type TradingStateControl } from '@qtp/dashboard';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import type { OrderJournal } from '@qtp/oms';
import { RiskEngine } from '@qtp/risk';
import { SmaCrossover } from '@qtp/strategy';

export const XRPETH = instrumentId('XRPETH', 'BINANCE');

const xrp = new Instrument({
  id: XRPETH,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
});

/** Reads the bars of the example data file as engine events. */
export function readBars(): BarEvent[] {
  const file = join(import.meta.dirname, '..', '..', '..', 'examples', 'data', 'XRPETH-5m.csv');
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  return lines.map((line) => {
    const [openTime, open, high, low, close, volume] = line.split(',').map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    return createBarEvent(
      createBar({
        instrumentId: XRPETH,
        interval: '5m',
        openTimeMs: openTime,
        closeTimeMs: openTime + 300_000,
        open,
        high,
        low,
        close,
        volume,
      }),
    );
  });
}

/** The state of the risk engine's account, as the tests check it. */
export function accountState(risk: RiskEngine): TradingState {
  return risk.states.stateOf({ kind: 'account', id: risk.accountId });
}

/**
 * A started engine over the XRP/ETH bars, with a risk engine as its gate (a position limit of
 * 1 000 XRP and at most 10 open orders) and `control`, the dashboard's control over it. With
 * `start: false` the engine is returned before it starts (it recovers from `orderJournal`, if given, on start).
 */
export async function replayEngine(
  options: { readonly orderJournal?: OrderJournal; readonly start?: boolean } = {},
): Promise<{
  engine: TradingEngine;
  risk: RiskEngine;
  control: TradingStateControl;
  bars: BarEvent[];
}> {
  const clock = new SimulatedClock();
  const risk = new RiskEngine({
    clock,
    config: { account: { maxPosition: 1_000, maxOpenOrders: 10 } },
    logger: createLogger({ level: 'silent' }),
  });
  const exchange = new SimulatedExchange({ clock, instruments: [xrp], balances: { ETH: '1' } });
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [xrp],
    preTradeGate: risk,
    ...(options.orderJournal === undefined ? {} : { orderJournal: options.orderJournal }),
    idGenerator: new SeededIdGenerator({ seed: 7 }),
    strategies: [
      new SmaCrossover({
        id: 'sma',
        params: { instrumentId: XRPETH, fastPeriod: 10, slowPeriod: 30, quantity: '150' },
      }),
    ],
  });
  risk.attach({ bus: engine.bus, orders: engine.orderManager, positions: engine.portfolio });
  if (options.start !== false) await engine.start();
  return { engine, risk, control: riskEngineControl(risk), bars: readBars() };
}
