import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.js';
import {
  parseTradingStateChangedEvent,
  TRADING_STATES,
  type TradingStateChangedEvent,
} from './trading-state.js';

const event: TradingStateChangedEvent = {
  type: 'risk.state',
  scope: { kind: 'strategy', id: 'sma' },
  from: 'ACTIVE',
  to: 'REDUCE_ONLY',
  setBy: 'rule:drawdown',
  reason: 'drawdown 12% passed the 10% limit',
  timeMs: 1_700_000_000_000,
};

describe('trading state events', () => {
  it('round-trips through JSON for every pair of states and scopes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TRADING_STATES),
        fc.constantFrom(...TRADING_STATES),
        fc.constantFrom('account' as const, 'strategy' as const, 'instrument' as const),
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.nat(),
        (from, to, kind, id, reason, timeMs) => {
          const value: TradingStateChangedEvent = {
            ...event,
            from,
            to,
            scope: { kind, id },
            reason,
            timeMs,
          };
          expect(parseTradingStateChangedEvent(JSON.parse(JSON.stringify(value)))).toEqual(value);
        },
      ),
    );
  });

  it('refuses an unknown state, naming the field', () => {
    expect(() => parseTradingStateChangedEvent({ ...event, to: 'PAUSED' })).toThrow(
      ValidationError,
    );
    expect(() => parseTradingStateChangedEvent({ ...event, to: 'PAUSED' })).toThrow(/to/);
  });

  it('refuses an unknown key and a fractional time', () => {
    expect(() => parseTradingStateChangedEvent({ ...event, extra: 1 })).toThrow(/extra/);
    expect(() => parseTradingStateChangedEvent({ ...event, timeMs: 1.5 })).toThrow(/timeMs/);
  });
});
