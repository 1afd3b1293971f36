// tsyringe throws on import without a Reflect polyfill, so this import comes first.
import 'reflect-metadata';
import {
  type Clock,
  ClockToken,
  eventBusToken,
  Instrument,
  InstrumentProviderToken,
  instrumentId,
  OrderGatewayToken,
  PositionViewToken,
  SimulatedClock,
} from '@qtp/core';
import {
  AccountViewToken,
  type EngineEvents,
  MarketDataFeedToken,
  registerQtpServices,
  registerService,
  resolveService,
  TradingEngineToken,
} from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { container } from 'tsyringe';
import { describe, expect, expectTypeOf, it } from 'vitest';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

describe('registerQtpServices', () => {
  it('resolves one engine and the services it wires under the typed tokens', () => {
    const child = container.createChildContainer();
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({ clock, instruments: [btc] });
    registerQtpServices(child, { clock, exchanges: [exchange], instruments: [btc] });
    const engine = resolveService(child, TradingEngineToken);
    expect(resolveService(child, TradingEngineToken)).toBe(engine);
    expect(resolveService(child, ClockToken)).toBe(clock);
    expect(resolveService(child, eventBusToken<EngineEvents>())).toBe(engine.bus);
    expect(resolveService(child, OrderGatewayToken)).toBe(exchange);
    expect(resolveService(child, PositionViewToken)).toBe(engine.portfolio);
    expect(resolveService(child, AccountViewToken)).toBe(exchange);
    expect(resolveService(child, MarketDataFeedToken)).toBe(exchange);
    expect(resolveService(child, InstrumentProviderToken).get(btc.id)).toBe(btc);
    expect(resolveService(child, InstrumentProviderToken).get(instrumentId('X', 'Y'))).toBe(
      undefined,
    );
  });
});

describe('registerService', () => {
  it('registers a value of the token type, and refuses any other at compile time', () => {
    const child = container.createChildContainer();
    const clock = new SimulatedClock();
    registerService(child, ClockToken, { useValue: clock });
    expect(resolveService(child, ClockToken)).toBe(clock);
    expectTypeOf(resolveService(child, ClockToken)).toEqualTypeOf<Clock>();

    const other = container.createChildContainer();
    // @ts-expect-error a string is not a Clock
    registerService(other, ClockToken, { useValue: 'not a clock' });
    // @ts-expect-error a factory must return a Clock too
    registerService(other, ClockToken, { useFactory: () => ({ now: () => 0 }) });
    expect(other.isRegistered(ClockToken)).toBe(true);
  });
});
