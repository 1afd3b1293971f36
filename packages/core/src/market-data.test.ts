import {
  type Bar,
  barIntervalToMs,
  barSchema,
  bookDeltaSchema,
  bookSnapshotSchema,
  createBar,
  createBookDelta,
  createBookSnapshot,
  createQuoteTick,
  createTradeTick,
  Decimal,
  instrumentId,
  isBarInterval,
  isQtpError,
  quoteTickSchema,
  tradeTickSchema,
  type ValidationError,
} from '@qtp/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const BTC = instrumentId('BTCUSDT', 'BINANCE');

const bar: Bar = {
  instrumentId: BTC,
  interval: '1m',
  openTimeMs: 1_700_000_000_000,
  closeTimeMs: 1_700_000_059_999,
  open: 100,
  high: 102,
  low: 99,
  close: 101,
  volume: 3.5,
};

function validationErrorOf(action: () => unknown): ValidationError {
  try {
    action();
  } catch (error) {
    expect(isQtpError(error, 'VALIDATION')).toBe(true);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('bar intervals', () => {
  it('converts intervals to milliseconds', () => {
    expect(barIntervalToMs('1s')).toBe(1_000);
    expect(barIntervalToMs('1m')).toBe(60_000);
    expect(barIntervalToMs('5m')).toBe(300_000);
    expect(barIntervalToMs('4h')).toBe(14_400_000);
    expect(barIntervalToMs('1d')).toBe(86_400_000);
    expect(barIntervalToMs('1w')).toBe(604_800_000);
  });

  it('refuses months, zero, fractions and unknown units', () => {
    for (const text of ['1M', '0m', '1.5m', 'm', '5', '-1m', ' 1m', '1y']) {
      expect(isBarInterval(text)).toBe(false);
      const error = validationErrorOf(() => barIntervalToMs(text as '1m'));
      expect(error.field).toBe('interval');
    }
  });
});

describe('createBar', () => {
  it('returns a validated copy of a well-formed bar', () => {
    const created = createBar(bar);
    expect(created).toEqual(bar);
    expect(created).not.toBe(bar);
  });

  it('accepts a flat bar with zero volume', () => {
    expect(() =>
      createBar({ ...bar, open: 5, high: 5, low: 5, close: 5, volume: 0 }),
    ).not.toThrow();
  });

  it('rejects a high below the close, naming the field, the rule and the value', () => {
    const error = validationErrorOf(() => createBar({ ...bar, high: 100.5 }));
    expect(error.field).toBe('high');
    expect(error.rule).toBe('be at least max(open, close) 101');
    expect(error.value).toBe(100.5);
    expect(error.message).toBe('high: must be at least max(open, close) 101, was 100.5');
  });

  it('rejects a low above the open', () => {
    const error = validationErrorOf(() => createBar({ ...bar, low: 100.5 }));
    expect(error.field).toBe('low');
    expect(error.value).toBe(100.5);
  });

  it('rejects a high below the low', () => {
    const error = validationErrorOf(() => createBar({ ...bar, high: 98, low: 99 }));
    expect(error.field).toBe('high');
  });

  it('rejects NaN, infinite and non-positive prices', () => {
    expect(validationErrorOf(() => createBar({ ...bar, open: Number.NaN })).field).toBe('open');
    expect(
      validationErrorOf(() => createBar({ ...bar, high: Number.POSITIVE_INFINITY })).field,
    ).toBe('high');
    expect(validationErrorOf(() => createBar({ ...bar, low: 0 })).field).toBe('low');
  });

  it('rejects negative volume', () => {
    const error = validationErrorOf(() => createBar({ ...bar, volume: -1 }));
    expect(error.field).toBe('volume');
    expect(error.value).toBe(-1);
  });

  it('rejects a close time not after the open time', () => {
    const error = validationErrorOf(() => createBar({ ...bar, closeTimeMs: bar.openTimeMs }));
    expect(error.field).toBe('closeTimeMs');
  });

  it('rejects a malformed instrument id and interval', () => {
    const input = { ...bar, instrumentId: 'BTCUSDT', interval: '1M' } as unknown as Bar;
    const error = validationErrorOf(() => createBar(input));
    expect(error.issues.map((issue) => issue.field).sort()).toEqual(['instrumentId', 'interval']);
  });

  it('accepts a bar exactly when the OHLC rules hold', () => {
    const value = fc.double({ min: -10, max: 1_000, noNaN: false });
    fc.assert(
      fc.property(value, value, value, value, value, (open, high, low, close, volume) => {
        const candidate = { ...bar, open, high, low, close, volume };
        const positive = [open, high, low, close].every((x) => Number.isFinite(x) && x > 0);
        const expected =
          positive &&
          Number.isFinite(volume) &&
          volume >= 0 &&
          high >= Math.max(open, close) &&
          low <= Math.min(open, close);
        expect(barSchema.safeParse(candidate).success).toBe(expected);
      }),
    );
  });
});

describe('createTradeTick and createQuoteTick', () => {
  const trade = {
    instrumentId: BTC,
    price: 37_000.5,
    size: 0.01,
    aggressorSide: 'BUY' as const,
    tradeId: '12345',
    timeMs: 1_700_000_000_000,
  };
  const quote = {
    instrumentId: BTC,
    bidPrice: 37_000,
    bidSize: 1.5,
    askPrice: 37_000.01,
    askSize: 0,
    timeMs: 1_700_000_000_000,
  };

  it('returns validated copies', () => {
    expect(createTradeTick(trade)).toEqual(trade);
    expect(createQuoteTick(quote)).toEqual(quote);
  });

  it('rejects a zero trade size, an unknown side and an empty trade id', () => {
    expect(validationErrorOf(() => createTradeTick({ ...trade, size: 0 })).field).toBe('size');
    const side = validationErrorOf(() =>
      createTradeTick({ ...trade, aggressorSide: 'HOLD' as 'BUY' }),
    );
    expect(side.field).toBe('aggressorSide');
    expect(side.value).toBe('HOLD');
    expect(validationErrorOf(() => createTradeTick({ ...trade, tradeId: '' })).field).toBe(
      'tradeId',
    );
  });

  it('rejects a negative quote size and a fractional time', () => {
    expect(validationErrorOf(() => createQuoteTick({ ...quote, bidSize: -0.5 })).field).toBe(
      'bidSize',
    );
    expect(validationErrorOf(() => createQuoteTick({ ...quote, timeMs: 1.5 })).field).toBe(
      'timeMs',
    );
  });

  it('parses untyped input through the schemas', () => {
    expect(tradeTickSchema.safeParse(JSON.parse(JSON.stringify(trade))).success).toBe(true);
    expect(quoteTickSchema.safeParse({ ...quote, askPrice: '37000' }).success).toBe(false);
  });
});

describe('createBookSnapshot and createBookDelta', () => {
  const snapshot = {
    instrumentId: BTC,
    sequence: 100,
    bids: [
      { price: 99.5, size: 2 },
      { price: 99, size: 1 },
    ],
    asks: [
      { price: 100, size: 1.5 },
      { price: 100.5, size: 4 },
    ],
    timeMs: 1_700_000_000_000,
  };
  const delta = {
    instrumentId: BTC,
    firstSequence: 101,
    lastSequence: 103,
    bids: [{ price: 99.5, size: 0 }],
    asks: [{ price: 100, size: 3 }],
    timeMs: 1_700_000_000_100,
  };

  it('returns validated copies', () => {
    expect(createBookSnapshot(snapshot)).toEqual(snapshot);
    expect(createBookDelta(delta)).toEqual(delta);
  });

  it('rejects bids out of order, naming the level', () => {
    const bids = [snapshot.bids[1]!, snapshot.bids[0]!];
    const error = validationErrorOf(() => createBookSnapshot({ ...snapshot, bids }));
    expect(error.field).toBe('bids[1].price');
    expect(error.value).toBe(99.5);
  });

  it('rejects a repeated ask price', () => {
    const asks = [snapshot.asks[0]!, snapshot.asks[0]!];
    expect(validationErrorOf(() => createBookSnapshot({ ...snapshot, asks })).field).toBe(
      'asks[1].price',
    );
  });

  it('rejects a zero size in a snapshot but accepts it in a delta', () => {
    const bids = [{ price: 99.5, size: 0 }];
    expect(validationErrorOf(() => createBookSnapshot({ ...snapshot, bids })).field).toBe(
      'bids[0].size',
    );
    expect(createBookDelta({ ...delta, bids }).bids).toEqual(bids);
  });

  it('rejects a negative or NaN delta size and a reversed sequence range', () => {
    const negative = validationErrorOf(() =>
      createBookDelta({ ...delta, asks: [{ price: 100, size: -1 }] }),
    );
    expect(negative.field).toBe('asks[0].size');
    expect(negative.value).toBe(-1);
    expect(
      validationErrorOf(() => createBookDelta({ ...delta, bids: [{ price: Number.NaN, size: 1 }] }))
        .field,
    ).toBe('bids[0].price');
    expect(
      validationErrorOf(() => createBookDelta({ ...delta, firstSequence: 104, lastSequence: 103 }))
        .field,
    ).toBe('lastSequence');
  });

  it('keeps the schemas usable on JSON input', () => {
    expect(bookSnapshotSchema.safeParse(JSON.parse(JSON.stringify(snapshot))).success).toBe(true);
    expect(bookDeltaSchema.safeParse(JSON.parse(JSON.stringify(delta))).success).toBe(true);
  });
});

describe('observed numbers', () => {
  it('give back the exchange decimal through String(n)', () => {
    // An exchange decimal of up to 15 significant digits, such as "0.00141342" or "37600.00000000".
    const digits = fc.bigInt({ min: 1n, max: 999_999_999_999_999n });
    const scale = fc.integer({ min: 0, max: 15 });
    const zeros = fc.integer({ min: 0, max: 8 });
    fc.assert(
      fc.property(digits, scale, zeros, (mantissa, places, padding) => {
        const text = new Decimal(mantissa.toString()).dividedBy(new Decimal(10).pow(places));
        const exchange = text.toFixed(places + padding);
        const observed = Number(exchange);
        expect(new Decimal(String(observed)).equals(new Decimal(exchange))).toBe(true);
      }),
    );
  });
});
