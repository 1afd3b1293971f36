// A replayed backtest for the dashboard's tests: real Binance XRP/ETH 5-minute bars through the
// engine with a SimulatedExchange and an SMA crossover, and a small trading-state desk standing in
// for a risk engine: it holds the account's state, announces each change on the bus as
// `risk.state`, and, as the engine's pre-trade gate, refuses every order while not ACTIVE.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type BarEvent,
  createBar,
  createBarEvent,
  Instrument,
  instrumentId,
  type PreTradeDecision,
  type PreTradeGate,
  SeededIdGenerator,
  SimulatedClock,
  TRADING_STATE_TOPIC,
  type TradingState,
  type TradingStateChangedEvent,
} from '@qtp/core';
import type { TradingStateChange, TradingStateControl } from '@qtp/dashboard';
import { TradingEngine } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
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

export class StateDesk implements TradingStateControl, PreTradeGate {
  state: TradingState = 'ACTIVE';
  publish: ((event: TradingStateChangedEvent) => void) | undefined;

  setState(state: TradingState, change: TradingStateChange): void {
    const from = this.state;
    this.state = state;
    this.publish?.({
      type: 'risk.state',
      scope: change.scope ?? { kind: 'account', id: 'main' },
      from,
      to: state,
      setBy: change.setBy,
      reason: change.reason,
      timeMs: 0,
    });
  }

  states() {
    return [{ scope: { kind: 'account', id: 'main' } as const, state: this.state }];
  }

  limits() {
    return [{ name: 'maxPosition', limit: 1000, used: 150, unit: 'XRP' }];
  }

  check(): PreTradeDecision {
    if (this.state === 'ACTIVE') return { approved: true };
    return {
      approved: false,
      reason: { code: `STATE_${this.state}`, message: `trading state is ${this.state}` },
    };
  }
}

/** A started engine over the XRP/ETH bars, with the desk as its gate. */
export async function replayEngine(): Promise<{
  engine: TradingEngine;
  desk: StateDesk;
  bars: BarEvent[];
}> {
  const clock = new SimulatedClock();
  const desk = new StateDesk();
  const exchange = new SimulatedExchange({ clock, instruments: [xrp], balances: { ETH: '1' } });
  const engine = new TradingEngine({
    clock,
    exchanges: [exchange],
    instruments: [xrp],
    preTradeGate: desk,
    idGenerator: new SeededIdGenerator({ seed: 7 }),
    strategies: [
      new SmaCrossover({
        id: 'sma',
        params: { instrumentId: XRPETH, fastPeriod: 10, slowPeriod: 30, quantity: '150' },
      }),
    ],
  });
  desk.publish = (event) =>
    engine.bus.publish(TRADING_STATE_TOPIC as never, { ...event, timeMs: clock.now() } as never);
  await engine.start();
  return { engine, desk, bars: readBars() };
}
