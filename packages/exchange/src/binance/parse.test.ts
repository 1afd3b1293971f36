import { instrumentId } from '@qtp/core';
import { describe, expect, it } from 'vitest';
import {
  executionReportFill,
  executionReportToOrderReport,
  parseBookTicker,
  parseDepthSnapshot,
  parseDepthUpdate,
  parseKlineEvent,
  parseKlineRow,
  parseTradeEvent,
  symbolToInstrument,
  toOrderReport,
} from './parse.js';
import { executionReportSchema } from './wire.js';

const id = instrumentId('BTCUSDT', 'BINANCE');

// Payloads from the wire specification's examples (§4, §7.4, §8.3).
describe('Binance parsers', () => {
  it('parses a diff depth event', () => {
    const delta = parseDepthUpdate(
      {
        e: 'depthUpdate',
        E: 1700000002101,
        s: 'BTCUSDT',
        U: 73219004513,
        u: 73219004530,
        b: [
          ['37599.99000000', '1.20310000'],
          ['37599.50000000', '0.00000000'],
        ],
        a: [['37600.00000000', '0.84100000']],
      },
      id,
    );
    expect(delta).toEqual({
      instrumentId: id,
      firstSequence: 73219004513,
      lastSequence: 73219004530,
      bids: [
        { price: 37599.99, size: 1.2031 },
        { price: 37599.5, size: 0 },
      ],
      asks: [{ price: 37600, size: 0.841 }],
      timeMs: 1700000002101,
    });
  });

  it('refuses a depth level that is not a decimal string', () => {
    expect(() => parseDepthUpdate({ E: 1, U: 1, u: 1, b: [[37599.99, '1']], a: [] }, id)).toThrow(
      /b\[0\]\[0\]: must be a decimal string/,
    );
  });

  it('parses a depth snapshot and drops empty levels', () => {
    const snapshot = parseDepthSnapshot(
      {
        lastUpdateId: 73219004512,
        bids: [
          ['37599.99000000', '1.20310000'],
          ['37599.50000000', '0.00000000'],
        ],
        asks: [['37600.00000000', '0.84100000']],
      },
      id,
      5,
    );
    expect(snapshot.sequence).toBe(73219004512);
    expect(snapshot.bids).toEqual([{ price: 37599.99, size: 1.2031 }]);
  });

  it('parses a trade with the taker side from the maker flag', () => {
    const trade = parseTradeEvent(
      {
        e: 'trade',
        E: 1700000001905,
        s: 'BTCUSDT',
        t: 3319904411,
        p: '37600.00000000',
        q: '0.02000000',
        T: 1700000001904,
        m: true,
        M: true,
      },
      id,
    );
    expect(trade).toEqual({
      instrumentId: id,
      price: 37600,
      size: 0.02,
      aggressorSide: 'SELL',
      tradeId: '3319904411',
      timeMs: 1700000001904,
    });
  });

  it('parses a kline event and a kline row to the same bar', () => {
    const event = parseKlineEvent(
      {
        e: 'kline',
        E: 1700000062013,
        s: 'BTCUSDT',
        k: {
          t: 1700000040000,
          T: 1700000099999,
          s: 'BTCUSDT',
          i: '1m',
          o: '37590.01000000',
          c: '37600.00000000',
          h: '37612.40000000',
          l: '37588.00000000',
          v: '12.48210000',
          n: 1833,
          x: false,
        },
      },
      id,
    );
    const row = parseKlineRow(
      [
        1700000040000,
        '37590.01000000',
        '37612.40000000',
        '37588.00000000',
        '37600.00000000',
        '12.48210000',
        1700000099999,
        '469310.61734100',
        1833,
        '6.10020000',
        '229367.80010500',
        '0',
      ],
      id,
      '1m',
    );
    expect(event.closed).toBe(false);
    expect(event.bar).toEqual(row);
    expect(row).toEqual({
      instrumentId: id,
      interval: '1m',
      openTimeMs: 1700000040000,
      closeTimeMs: 1700000100000,
      open: 37590.01,
      high: 37612.4,
      low: 37588,
      close: 37600,
      volume: 12.4821,
    });
  });

  it('parses a book ticker', () => {
    expect(
      parseBookTicker(
        {
          u: 1,
          s: 'BTCUSDT',
          b: '37599.99000000',
          B: '1.20310000',
          a: '37600.00000000',
          A: '0.84100000',
        },
        id,
        7,
      ),
    ).toEqual({
      instrumentId: id,
      bidPrice: 37599.99,
      bidSize: 1.2031,
      askPrice: 37600,
      askSize: 0.841,
      timeMs: 7,
    });
  });

  it('reads an execution report as a report and an exact fill', () => {
    const event = executionReportSchema.parse({
      e: 'executionReport',
      E: 1700000003378,
      s: 'BTCUSDT',
      c: 'qtp-7c1f0b2e-000042',
      S: 'BUY',
      o: 'LIMIT',
      f: 'GTC',
      q: '0.00100000',
      p: '25000.00000000',
      P: '0.00000000',
      F: '0.00000000',
      g: -1,
      C: '',
      x: 'TRADE',
      X: 'PARTIALLY_FILLED',
      r: 'NONE',
      i: 4187770231,
      l: '0.00040000',
      z: '0.00040000',
      L: '25000.00000000',
      n: '0.00000040',
      N: 'BTC',
      T: 1700000003377,
      t: 3319904411,
      I: 9035512201,
      w: true,
      m: true,
      M: true,
      O: 1700000000731,
      Z: '10.00000000',
      Y: '10.00000000',
      Q: '0.00000000',
      W: 1700000000731,
      V: 'EXPIRE_MAKER',
    });
    const report = executionReportToOrderReport(event, id);
    expect(report.status).toBe('PARTIALLY_FILLED');
    expect(report.clientOrderId).toBe('qtp-7c1f0b2e-000042');
    expect(report.filledQuantity.toString()).toBe('0.0004');
    // 10 / 0.0004 = 25000
    expect(report.averageFillPrice?.toString()).toBe('25000');
    const fill = executionReportFill(event, id, 'USDT');
    expect(fill?.tradeId).toBe('3319904411');
    expect(fill?.fee.amount.toString()).toBe('0.0000004');
    expect(fill?.fee.currency).toBe('BTC');
    expect(fill?.liquiditySide).toBe('MAKER');
    // The order's terms: a GTC limit buy of 0.001 at 25000, no stop price (P is 0).
    expect(report.side).toBe('BUY');
    expect(report.type).toBe('LIMIT');
    expect(report.quantity?.toString()).toBe('0.001');
    expect(report.price?.toString()).toBe('25000');
    expect(report.triggerPrice).toBeUndefined();
    expect(report.timeInForce).toBe('GTC');
  });

  it('reads the terms of a queried order', () => {
    // The query reply of the specification (section 3.6).
    const report = toOrderReport(
      {
        symbol: 'BTCUSDT',
        orderId: 4187770231,
        clientOrderId: 'qtp-7c1f0b2e-000042',
        price: '25000.00000000',
        origQty: '0.00100000',
        executedQty: '0.00040000',
        cummulativeQuoteQty: '10.00000000',
        status: 'PARTIALLY_FILLED',
        timeInForce: 'GTC',
        type: 'LIMIT',
        side: 'BUY',
        stopPrice: '0.00000000',
        time: 1700000000731,
        updateTime: 1700000003377,
      },
      id,
      0,
    );
    expect(report.side).toBe('BUY');
    expect(report.type).toBe('LIMIT');
    expect(report.quantity?.toString()).toBe('0.001');
    expect(report.price?.toString()).toBe('25000');
    expect(report.triggerPrice).toBeUndefined();
    expect(report.timeInForce).toBe('GTC');
    expect(report.timeMs).toBe(1700000003377);
  });

  it('names a stop-loss limit a STOP_LIMIT with its trigger, and a stop-loss a STOP_MARKET without price', () => {
    const base = {
      symbol: 'BTCUSDT',
      orderId: 7,
      clientOrderId: 'stop-1',
      origQty: '0.50000000',
      executedQty: '0.00000000',
      status: 'NEW',
      timeInForce: 'GTC',
      side: 'SELL',
    };
    const limit = toOrderReport(
      { ...base, type: 'STOP_LOSS_LIMIT', price: '36000.50000000', stopPrice: '36100.00000000' },
      id,
      0,
    );
    expect(limit).toMatchObject({ side: 'SELL', type: 'STOP_LIMIT', timeInForce: 'GTC' });
    expect(limit.price?.toString()).toBe('36000.5');
    expect(limit.triggerPrice?.toString()).toBe('36100');
    const market = toOrderReport(
      { ...base, type: 'STOP_LOSS', price: '0.00000000', stopPrice: '36100.00000000' },
      id,
      0,
    );
    expect(market.type).toBe('STOP_MARKET');
    expect(market.price).toBeUndefined();
    expect(market.triggerPrice?.toString()).toBe('36100');
    // Binance states GTC on a stop-loss, which takes no time in force: the SDK default applies.
    expect(market.timeInForce).toBeUndefined();
  });

  it('leaves out the type of an order kind the SDK does not have, and every term of an ACK reply', () => {
    const takeProfit = toOrderReport(
      {
        symbol: 'BTCUSDT',
        orderId: 8,
        clientOrderId: 'tp-1',
        origQty: '0.10000000',
        type: 'TAKE_PROFIT',
        side: 'SELL',
        stopPrice: '40000.00000000',
        status: 'NEW',
      },
      id,
      0,
    );
    expect(takeProfit.type).toBeUndefined();
    expect(takeProfit.triggerPrice).toBeUndefined();
    expect(takeProfit.side).toBe('SELL');
    const ack = toOrderReport(
      { symbol: 'BTCUSDT', orderId: 9, clientOrderId: 'ack-1', transactTime: 5 },
      id,
      0,
    );
    expect(ack).toEqual({
      instrumentId: id,
      clientOrderId: 'ack-1',
      venueOrderId: '9',
      status: 'ACCEPTED',
      filledQuantity: expect.anything(),
      timeMs: 5,
    });
  });

  it('refuses an order quantity that is not a decimal string, naming the field', () => {
    expect(() =>
      toOrderReport(
        {
          symbol: 'BTCUSDT',
          orderId: 9,
          clientOrderId: 'x',
          origQty: '1e-3',
          type: 'LIMIT',
          side: 'BUY',
        },
        id,
        0,
      ),
    ).toThrow(/origQty: must be a decimal string/);
  });

  it('keeps the original client order id of a canceled order', () => {
    const report = toOrderReport(
      {
        symbol: 'BTCUSDT',
        origClientOrderId: 'qtp-7c1f0b2e-000042',
        orderId: 4187770231,
        clientOrderId: 'qtp-7c1f0b2e-000042-c',
        transactTime: 1700000005012,
        executedQty: '0.00000000',
        cummulativeQuoteQty: '0.00000000',
        status: 'CANCELED',
      },
      id,
      0,
    );
    expect(report).toMatchObject({
      clientOrderId: 'qtp-7c1f0b2e-000042',
      status: 'CANCELED',
      timeMs: 1700000005012,
    });
    expect(report.averageFillPrice).toBeUndefined();
  });

  it('reads an instrument from exchangeInfo filters', () => {
    const instrument = symbolToInstrument(
      {
        symbol: 'BTCUSDT',
        baseAsset: 'BTC',
        quoteAsset: 'USDT',
        filters: [
          {
            filterType: 'PRICE_FILTER',
            minPrice: '0.01000000',
            maxPrice: '1000000.00000000',
            tickSize: '0.01000000',
          },
          {
            filterType: 'LOT_SIZE',
            minQty: '0.00001000',
            maxQty: '9000.00000000',
            stepSize: '0.00001000',
          },
          {
            filterType: 'MARKET_LOT_SIZE',
            minQty: '0.00000000',
            maxQty: '120.50000000',
            stepSize: '0.00000000',
          },
          { filterType: 'NOTIONAL', minNotional: '5.00000000' },
        ],
      },
      'BINANCE',
    );
    expect(instrument.id).toBe('BTCUSDT.BINANCE');
    expect(instrument.priceIncrement.toString()).toBe('0.01');
    expect(instrument.sizeIncrement.toString()).toBe('0.00001');
    expect(instrument.minNotional.toString()).toBe('5');
    expect(instrument.maxQuantity?.toString()).toBe('9000');
  });
});
