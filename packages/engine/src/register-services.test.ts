// tsyringe throws on import without a Reflect polyfill, so this import comes first.
import 'reflect-metadata';
import {
  ClockToken,
  EventBusToken,
  Instrument,
  instrumentId,
  OrderGatewayToken,
  PositionViewToken,
  SimulatedClock,
} from '@qtp/core';
import { registerQtpServices, type TradingEngine, TradingEngineToken } from '@qtp/engine';
import { SimulatedExchange } from '@qtp/exchange';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';

const btc = new Instrument({
  id: instrumentId('BTCUSDT', 'BINANCE'),
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
});

describe('registerQtpServices', () => {
  it('resolves one engine and the services it wires under the core tokens', () => {
    const child = container.createChildContainer();
    const clock = new SimulatedClock();
    const exchange = new SimulatedExchange({ clock, instruments: [btc] });
    registerQtpServices(child, { clock, exchanges: [exchange], instruments: [btc] });
    const engine = child.resolve<TradingEngine>(TradingEngineToken);
    expect(child.resolve<TradingEngine>(TradingEngineToken)).toBe(engine);
    expect(child.resolve(ClockToken)).toBe(clock);
    expect(child.resolve(EventBusToken)).toBe(engine.bus);
    expect(child.resolve(OrderGatewayToken)).toBe(exchange);
    expect(child.resolve(PositionViewToken)).toBe(engine.portfolio);
  });
});
