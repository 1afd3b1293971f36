import {
  createBar,
  createBarEvent,
  instrumentId,
  SimulatedClock,
  type TradingStateChangedEvent,
} from '@qtp/core';
import {
  createEnvelope,
  decodePayload,
  marketDataEventCodec,
  tradingStateCodec,
} from '@qtp/messaging';
import { describe, expect, it } from 'vitest';

const clock = new SimulatedClock({ startMs: 0 });

describe('decodePayload', () => {
  it('returns a market-data event equal to the one encoded', () => {
    const bar = createBarEvent(
      createBar({
        instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
        interval: '1m',
        openTimeMs: 0,
        closeTimeMs: 59_999,
        open: 100,
        high: 101,
        low: 99,
        close: 100.5,
        volume: 3,
      }),
    );
    const envelope = createEnvelope(clock, {
      type: marketDataEventCodec.type,
      payload: JSON.parse(JSON.stringify(marketDataEventCodec.encode(bar))),
    });
    expect(decodePayload(marketDataEventCodec, envelope)).toEqual(bar);
  });

  it('refuses another type, another schema version and a bad payload field', () => {
    const change: TradingStateChangedEvent = {
      type: 'risk.state',
      scope: { kind: 'account', id: 'main' },
      from: 'ACTIVE',
      to: 'HALTED',
      setBy: 'kill-switch',
      reason: 'manual',
      timeMs: 5,
    };
    const ok = createEnvelope(clock, { type: tradingStateCodec.type, payload: change });
    expect(() => decodePayload(tradingStateCodec, { ...ok, type: 'other' })).toThrow(
      'type: must be "qtp.trading-state-changed", was "other"',
    );
    expect(() => decodePayload(tradingStateCodec, { ...ok, schemaVersion: 2 })).toThrow(
      'schemaVersion: must be 1, was 2',
    );
    expect(() =>
      decodePayload(tradingStateCodec, { ...ok, payload: { ...change, timeMs: -1 } }),
    ).toThrow(/^payload\.timeMs: must be at least 0/);
  });
});
