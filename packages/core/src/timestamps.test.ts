import {
  createBar,
  createFill,
  createMoney,
  createQuoteTick,
  createTradeTick,
  instrumentId,
  isQtpError,
  LiveClock,
  SimulatedClock,
  type ValidationError,
} from '@qtp/core';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');
const BAD_TIMES = [Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2 ** 53, '1700000000000'];

function fieldOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isQtpError(error, 'VALIDATION')) return (error as ValidationError).field;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('timestamps where they enter', () => {
  it.each(BAD_TIMES)(
    'refuses the time %s in market data, a fill and an alarm, naming the field',
    (time) => {
      const t = time as number;
      const bar = {
        instrumentId: BTC,
        interval: '1m',
        open: 1,
        high: 1,
        low: 1,
        close: 1,
        volume: 1,
      } as const;
      expect(fieldOf(() => createBar({ ...bar, openTimeMs: t, closeTimeMs: 60_000 }))).toBe(
        'openTimeMs',
      );
      expect(fieldOf(() => createBar({ ...bar, openTimeMs: 0, closeTimeMs: t }))).toBe(
        'closeTimeMs',
      );
      expect(
        fieldOf(() =>
          createTradeTick({
            instrumentId: BTC,
            price: 1,
            size: 1,
            aggressorSide: 'BUY',
            tradeId: '1',
            timeMs: t,
          }),
        ),
      ).toBe('timeMs');
      expect(
        fieldOf(() =>
          createQuoteTick({
            instrumentId: BTC,
            bidPrice: 1,
            bidSize: 1,
            askPrice: 2,
            askSize: 1,
            timeMs: t,
          }),
        ),
      ).toBe('timeMs');
      expect(
        fieldOf(() =>
          createFill({
            tradeId: 't1',
            clientOrderId: 'c1',
            venueOrderId: 'v1',
            instrumentId: BTC,
            side: 'BUY',
            price: '1',
            quantity: '1',
            fee: createMoney('0', 'USDT'),
            liquiditySide: 'TAKER',
            timeMs: t,
          }),
        ),
      ).toBe('timeMs');
      expect(fieldOf(() => new SimulatedClock().setAlarm(() => {}, t))).toBe('atMs');
      const live = new LiveClock({ unref: true });
      expect(fieldOf(() => live.setAlarm(() => {}, t))).toBe('atMs');
    },
  );
});
