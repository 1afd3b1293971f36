import {
  EventBus,
  Instrument,
  instrumentId,
  NetworkError,
  SimulatedClock,
  type SystemEvent,
} from '@qtp/core';
import { type EngineEvents, engineErrorToSystemEvent, TradingEngine } from '@qtp/engine';
import { ExchangeManager, SimulatedExchange } from '@qtp/exchange';
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

function venue(name: string, clock: SimulatedClock): SimulatedExchange {
  return new SimulatedExchange({
    clock,
    venue: name,
    instruments: [instrumentOn(name)],
    balances: { USDT: '1000' },
  });
}

function setup() {
  const clock = new SimulatedClock({ startMs: 1_700_000_000_000 });
  const a = venue('A', clock);
  const manager = new ExchangeManager({
    venue: 'A',
    exchanges: [a, venue('B', clock)],
    clock,
    health: { staleAfterMs: 10_000 },
    checkIntervalMs: 1000,
  });
  const bus = new EventBus<EngineEvents>({ clock });
  const heard: SystemEvent[] = [];
  bus.subscribe('system.*', (event) => void heard.push(event as SystemEvent));
  const engine = new TradingEngine({
    exchanges: [manager],
    instruments: [instrumentOn('A')],
    clock,
    bus,
    subscriptions: [{ kind: 'trades', instrumentId: btcA }],
    syncBalances: false,
  });
  return { clock, a, bus, engine, heard };
}

describe('system events of the engine', () => {
  it("publishes a venue's fall and recovery from its exchange manager on system.health", async () => {
    const { clock, a, engine, heard } = setup();
    await engine.start();
    const tick = (id: number) =>
      a.onTradeTick({
        instrumentId: btcA,
        price: 100,
        size: 1,
        aggressorSide: 'BUY',
        tradeId: String(id),
        timeMs: clock.now(),
      });
    tick(1);
    clock.advanceBy(11_000); // silent past the 10 s threshold: DOWN at the next check
    tick(2);
    clock.advanceBy(1000); // heard again: back up at the next check
    await engine.stop();
    expect(heard.filter((event) => event.type === 'system.health')).toEqual([
      {
        type: 'system.health',
        component: 'venue:A',
        status: 'DOWN',
        reason: 'silent for 11000 ms',
        timeMs: 1_700_000_011_000,
      },
      {
        type: 'system.health',
        component: 'venue:A',
        status: 'UP',
        reason: 'ok',
        timeMs: 1_700_000_012_000,
      },
      // The feed moved to B while A was down; B's last sign of life was its answer to the
      // subscription at the start: silent for 12 s.
      {
        type: 'system.health',
        component: 'venue:B',
        status: 'DOWN',
        reason: 'silent for 12000 ms',
        timeMs: 1_700_000_012_000,
      },
    ]);
  });

  it('republishes circuit changes as health and stops once the engine stopped', async () => {
    const { bus, engine, heard } = setup();
    const circuit = (state: 'OPEN' | 'HALF_OPEN' | 'CLOSED', timestampMs: number) =>
      bus.publish('circuit.state', {
        type: 'circuit.state',
        name: 'A/trade',
        state,
        previous: 'CLOSED',
        reason: `now ${state}`,
        timestampMs,
      });
    await engine.start();
    circuit('OPEN', 1);
    circuit('HALF_OPEN', 2);
    circuit('CLOSED', 3);
    await engine.stop();
    circuit('OPEN', 4);
    expect(
      heard.map((event) => [event.type, 'status' in event ? event.status : '', event.timeMs]),
    ).toEqual([
      ['system.health', 'DOWN', 1],
      ['system.health', 'DEGRADED', 2],
      ['system.health', 'UP', 3],
    ]);
    expect(heard[0]).toMatchObject({ component: 'circuit:A/trade', reason: 'now OPEN' });
  });

  it('names an engine error by its stage and code', () => {
    expect(engineErrorToSystemEvent('booking', new NetworkError('reset'), 9)).toEqual({
      type: 'system.error',
      component: 'engine.booking',
      code: 'NETWORK',
      message: 'reset',
      timeMs: 9,
    });
  });
});
