import {
  createFill,
  createMoney,
  Decimal,
  EventBus,
  type Fill,
  Instrument,
  type InstrumentId,
  instrumentId,
  isQtpError,
  type Money,
} from '@qtp/core';
import {
  computePerformance,
  type FillBookedEvent,
  Portfolio,
  type PortfolioEvents,
  type TransferEvent,
} from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

const BTC_BINANCE = instrumentId('BTCUSDT', 'BINANCE');
const BTC_OKX = instrumentId('BTCUSDT', 'OKX');
const ETH_BINANCE = instrumentId('ETHUSDT', 'BINANCE');
const ETHBTC_BINANCE = instrumentId('ETHBTC', 'BINANCE');
const instruments = [
  { id: BTC_BINANCE, baseAsset: 'BTC', quoteAsset: 'USDT' },
  { id: BTC_OKX, baseAsset: 'BTC', quoteAsset: 'USDT' },
  { id: ETH_BINANCE, baseAsset: 'ETH', quoteAsset: 'USDT' },
  { id: ETHBTC_BINANCE, baseAsset: 'ETH', quoteAsset: 'BTC' },
];
let trade = 0;

function fill(
  id: InstrumentId,
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  options: { fee?: Money; timeMs?: number; tradeId?: string } = {},
): Fill {
  trade += 1;
  return createFill({
    tradeId: options.tradeId ?? `t${trade}`,
    clientOrderId: `c${trade}`,
    venueOrderId: `v${trade}`,
    instrumentId: id,
    side,
    price,
    quantity,
    fee: options.fee ?? createMoney('0', 'USDT'),
    liquiditySide: 'TAKER',
    timeMs: options.timeMs ?? 0,
  });
}

function funded(): Portfolio {
  const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments });
  portfolio.deposit('BINANCE', 'USDT', '100000', 0);
  portfolio.deposit('OKX', 'USDT', '100000', 0);
  return portfolio;
}

/** Everything a booking can change, as plain text, to compare states. */
function state(portfolio: Portfolio): unknown {
  return {
    balances: portfolio
      .accounts()
      .map((account) => [
        account.venue,
        account.balances().map((b) => [b.asset, b.free.toFixed(), b.locked.toFixed()]),
      ]),
    positions: portfolio
      .positions()
      .map((p) => [
        p.instrumentId,
        p.lots.map((lot) => [
          lot.entryTradeId,
          lot.quantity.toFixed(),
          lot.entryFee.amount.toFixed(),
        ]),
        p.realizedPnl.amount.toFixed(),
        p.fees.map((fee) => `${fee.amount.toFixed()} ${fee.currency}`),
      ]),
    closedLots: portfolio.closedLots().length,
  };
}

describe('Portfolio', () => {
  it('totals one asset across venues, free and locked together', () => {
    const portfolio = funded();
    portfolio.bookFill(
      fill(BTC_BINANCE, 'BUY', '25000', '0.5', { fee: createMoney('12.5', 'USDT') }),
    );
    portfolio.bookFill(fill(BTC_OKX, 'BUY', '25010', '0.25'));
    portfolio.account('OKX').lock('c-rest', 'USDT', '1000');
    // 200 000 deposited - 12 500 - 12.5 fee - 6 252.5, the lock still held.
    expect(portfolio.assetTotal('USDT').toFixed()).toBe('181235');
    expect(portfolio.assetTotal('BTC').toFixed()).toBe('0.75');
    expect(portfolio.assetTotal('ETH').toFixed()).toBe('0');
    expect(portfolio.assetTotal('USDT').eq(portfolio.balancesByAsset().get('USDT')!)).toBe(true);
  });

  it('books a fill into the account and the position of its venue', () => {
    const portfolio = funded();
    const booking = portfolio.bookFill(
      fill(BTC_BINANCE, 'BUY', '25000', '0.5', { fee: createMoney('12.5', 'USDT') }),
    );
    expect(booking.status).toBe('booked');
    expect(booking.venue).toBe('BINANCE');
    expect(booking.balances.map((b) => [b.asset, b.free.toFixed()])).toEqual([
      ['BTC', '0.5'],
      ['USDT', '87487.5'],
    ]);
    expect(portfolio.netQuantity(BTC_BINANCE).toFixed()).toBe('0.5');
    expect(portfolio.netQuantity(BTC_OKX).toFixed()).toBe('0');
    expect(portfolio.account('OKX').balance('USDT').free.toFixed()).toBe('100000');
  });

  it('ignores a fill whose trade id it has booked for the instrument', () => {
    const portfolio = funded();
    const first = fill(BTC_BINANCE, 'BUY', '25000', '0.5');
    portfolio.bookFill(first);
    const before = state(portfolio);
    const again = portfolio.bookFill(first);
    expect(again.status).toBe('duplicate');
    expect(again.closedLots).toEqual([]);
    expect(state(portfolio)).toEqual(before);
    expect(portfolio.isBooked(BTC_BINANCE, first.tradeId)).toBe(true);
    // The same trade id on another instrument is another trade.
    const elsewhere = portfolio.bookFill(
      fill(BTC_OKX, 'BUY', '25000', '0.5', { tradeId: first.tradeId }),
    );
    expect(elsewhere.status).toBe('booked');
  });

  it('implements PositionView with signed quantities of positions not flat', () => {
    const portfolio = funded();
    portfolio.deposit('BINANCE', 'ETH', '10', 0);
    portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '1'));
    portfolio.bookFill(fill(ETH_BINANCE, 'SELL', '2000', '3'));
    portfolio.bookFill(fill(BTC_OKX, 'BUY', '25000', '1'));
    portfolio.bookFill(fill(BTC_OKX, 'SELL', '25100', '1'));
    expect([...portfolio.netQuantities()].map(([id, q]) => [id, q.toFixed()])).toEqual([
      [BTC_BINANCE, '1'],
      [ETH_BINANCE, '-3'],
    ]);
  });

  it('nets positions per symbol across venues and per base asset across instruments', () => {
    const portfolio = funded();
    portfolio.deposit('BINANCE', 'ETH', '10', 0);
    portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '1'));
    portfolio.bookFill(fill(BTC_OKX, 'BUY', '25000', '0.25'));
    portfolio.bookFill(fill(ETH_BINANCE, 'BUY', '2000', '2'));
    portfolio.bookFill(fill(ETHBTC_BINANCE, 'SELL', '0.08', '5', { fee: createMoney('0', 'BTC') }));
    const text = (map: ReadonlyMap<string, Decimal>) =>
      [...map].map(([key, q]) => [key, q.toFixed()]);
    expect(text(portfolio.netQuantityBySymbol())).toEqual([
      ['BTCUSDT', '1.25'],
      ['ETHBTC', '-5'],
      ['ETHUSDT', '2'],
    ]);
    expect(text(portfolio.netQuantityByAsset())).toEqual([
      ['BTC', '1.25'],
      ['ETH', '-3'],
    ]);
    expect(text(portfolio.balancesByAsset())).toEqual([
      ['BTC', '1.65'],
      ['ETH', '7'],
      ['USDT', '164750'],
    ]);
  });

  it('values every balance in the reporting currency from marks and set rates', () => {
    const portfolio = funded();
    portfolio.deposit('BINANCE', 'BNB', '2', 0);
    portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '1', { fee: createMoney('0.01', 'BNB') }));
    portfolio.mark(BTC_BINANCE, 26000, 1);
    expect(() => portfolio.equity()).toThrow(
      /rates\.BNB: must give the price of BNB in USDT, was undefined/,
    );
    portfolio.setRate('BNB', 300);
    expect(Object.fromEntries(portfolio.valuesByAsset())).toEqual({
      BNB: 597,
      BTC: 26000,
      USDT: 175000,
    });
    expect(portfolio.equity()).toBe(201597);
    // Rates given to the call take the place of those in force.
    expect(
      portfolio.equity(
        new Map([
          ['BTC', 20000],
          ['BNB', 0.5],
        ]),
      ),
    ).toBe(195000.995);
    expect(Object.fromEntries(portfolio.rates())).toEqual({ BNB: 300, BTC: 26000 });
  });

  it('takes the rate of the quote asset from a mark of an instrument based on the reporting currency', () => {
    const id = instrumentId('USDTBRL', 'BINANCE');
    const portfolio = new Portfolio({
      reportingCurrency: 'USDT',
      instruments: [{ id, baseAsset: 'USDT', quoteAsset: 'BRL' }],
    });
    portfolio.deposit('BINANCE', 'BRL', '500', 0);
    portfolio.mark(id, 5, 0);
    expect(portfolio.equity()).toBe(100);
  });

  it('reports unrealized P&L at the last mark in snapshots, and realized P&L and fees apart', () => {
    const portfolio = funded();
    portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '1', { fee: createMoney('25', 'USDT') }));
    portfolio.bookFill(
      fill(BTC_BINANCE, 'SELL', '26000', '0.4', { fee: createMoney('10.4', 'USDT') }),
    );
    portfolio.mark(BTC_BINANCE, 25500.5, 10);
    const snapshot = portfolio.snapshot(10);
    const position = snapshot.positions[0]!;
    expect(position.quantity.toFixed()).toBe('0.6');
    expect(position.mark).toBe(25500.5);
    expect(position.unrealizedPnl?.amount.toFixed()).toBe('300.3');
    expect(position.realizedPnl.amount.toFixed()).toBe('400');
    expect(position.fees.map((fee) => fee.amount.toFixed())).toEqual(['35.4']);
    // Equity moved by realized + unrealized - fees.
    expect(snapshot.equity).toBe(200000 + 400 + 300.3 - 35.4);
    expect(snapshot.balances.map((b) => [b.venue, b.asset, b.total.toFixed()])).toEqual([
      ['BINANCE', 'BTC', '0.6'],
      ['BINANCE', 'USDT', '85364.6'],
      ['OKX', 'USDT', '100000'],
    ]);
    expect(portfolio.snapshots()).toEqual([snapshot]);
    expect(portfolio.fees().map((fee) => fee.amount.toFixed())).toEqual(['35.4']);
  });

  it('turns closed lots into closed trades net of their fee shares for the analytics', () => {
    const portfolio = funded();
    portfolio.deposit('BINANCE', 'BNB', '1', 0);
    portfolio.setRate('BNB', 200);
    portfolio.bookFill(
      fill(BTC_BINANCE, 'BUY', '100', '2', { fee: createMoney('0.4', 'USDT'), timeMs: 1_000 }),
    );
    portfolio.bookFill(
      fill(BTC_BINANCE, 'SELL', '110', '1', { fee: createMoney('0.001', 'BNB'), timeMs: 2_000 }),
    );
    portfolio.bookFill(
      fill(BTC_BINANCE, 'SELL', '95', '1', { fee: createMoney('0.095', 'USDT'), timeMs: 3_000 }),
    );
    expect(portfolio.closedTrades()).toEqual([
      { entryTime: 1_000, exitTime: 2_000, pnl: 10 - 0.2 - 0.2 },
      { entryTime: 1_000, exitTime: 3_000, pnl: -5 - 0.2 - 0.095 },
    ]);
  });

  it('costs a fee in the base asset at its own fill price, so a round trip nets the cash it moved', () => {
    const portfolio = funded();
    portfolio.bookFill(
      fill(ETH_BINANCE, 'BUY', '2000', '1', { fee: createMoney('0.001', 'ETH'), timeMs: 1_000 }),
    );
    expect(portfolio.position(ETH_BINANCE)!.quantity.toFixed()).toBe('0.999');
    expect(portfolio.account('BINANCE').balance('ETH').total.toFixed()).toBe('0.999');
    portfolio.bookFill(
      fill(ETH_BINANCE, 'SELL', '2200', '0.999', {
        fee: createMoney('2.1978', 'USDT'),
        timeMs: 2_000,
      }),
    );
    // Cash: -2000 + 2200 x 0.999 - 2.1978 = 195.6022; the ETH fee cost 0.001 x 2000 = 2.
    expect(portfolio.account('BINANCE').balance('USDT').total.toFixed()).toBe('100195.6022');
    expect(portfolio.account('BINANCE').balance('ETH').total.toFixed()).toBe('0');
    expect(portfolio.closedTrades()).toEqual([
      { entryTime: 1_000, exitTime: 2_000, pnl: 199.8 - 2.1978 - 2 },
    ]);
  });

  it('records an equity curve that computePerformance reads directly', () => {
    const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments });
    portfolio.deposit('BINANCE', 'USDT', '10000', 0);
    const hour = 3_600_000;
    portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '0.2', { fee: createMoney('5', 'USDT') }));
    const prices = [25000, 26000, 25500, 27000];
    prices.forEach((price, i) => {
      portfolio.mark(BTC_BINANCE, price, i * hour);
      portfolio.recordEquity(i * hour);
    });
    // Recording again at the last time replaces the point.
    portfolio.mark(BTC_BINANCE, 27500, 3 * hour);
    portfolio.recordEquity(3 * hour);
    const curve = portfolio.equityCurve();
    expect(curve.times).toEqual(Float64Array.from([0, hour, 2 * hour, 3 * hour]));
    expect(Array.from(curve.values)).toEqual([9995, 10195, 10095, 10495]);
    expect(() => portfolio.recordEquity(hour)).toThrow(
      /timeMs: must not be before the last recorded time/,
    );
    const report = computePerformance(curve, { trades: portfolio.closedTrades() });
    expect(report.totalReturn).toBeCloseTo(10495 / 9995 - 1, 12);
    expect(report.trades.numberOfTrades).toBe(0);
  });

  it('publishes fillBooked and transfer events on an EventBus, never for a duplicate', () => {
    const bus = new EventBus<PortfolioEvents>();
    const seen: (FillBookedEvent | TransferEvent)[] = [];
    bus.subscribe('portfolio.*', (event) => seen.push(event));
    const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments, publisher: bus });
    portfolio.deposit('BINANCE', 'USDT', '1000', 5);
    const buy = fill(BTC_BINANCE, 'BUY', '100', '1');
    portfolio.bookFill(buy);
    portfolio.bookFill(buy);
    portfolio.withdraw('BINANCE', 'USDT', '50', 6);
    expect(seen.map((event) => event.type)).toEqual([
      'portfolio.transfer',
      'portfolio.fillBooked',
      'portfolio.transfer',
    ]);
    expect(seen[0]).toMatchObject({
      direction: 'deposit',
      venue: 'BINANCE',
      asset: 'USDT',
      timeMs: 5,
    });
    expect(seen[1]).toMatchObject({ status: 'booked', fill: buy });
    expect((seen[2] as TransferEvent).balance.free.toFixed()).toBe('850');
  });

  it('accepts an Instrument from @qtp/core as the instrument of its fills', () => {
    const instrument = new Instrument({
      id: BTC_BINANCE,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      priceIncrement: '0.01',
      sizeIncrement: '0.00001',
    });
    const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments: [instrument] });
    portfolio.deposit('BINANCE', 'USDT', '100', 0);
    expect(portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '50', '1')).quantity.toFixed()).toBe('1');
  });

  describe('bad input', () => {
    it('refuses a fill for an unknown instrument with UnknownSymbolError and changes nothing', () => {
      const portfolio = new Portfolio({ reportingCurrency: 'USDT' });
      const unknown = fill(instrumentId('SOLUSDT', 'BINANCE'), 'BUY', '20', '1');
      let thrown: unknown;
      try {
        portfolio.bookFill(unknown);
      } catch (error) {
        thrown = error;
      }
      expect(isQtpError(thrown, 'UNKNOWN_SYMBOL')).toBe(true);
      expect(portfolio.accounts()).toEqual([]);
      expect(portfolio.positions()).toEqual([]);
      expect(portfolio.isBooked(unknown.instrumentId, unknown.tradeId)).toBe(false);
    });

    it('refuses a fill the cash account cannot pay for and changes nothing', () => {
      const portfolio = funded();
      portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '25000', '1'));
      const before = state(portfolio);
      const tooBig = fill(BTC_BINANCE, 'BUY', '25000', '4');
      expect(() => portfolio.bookFill(tooBig)).toThrow(/BINANCE USDT: needs 100000, 75000 free/);
      const oversold = fill(BTC_BINANCE, 'SELL', '25000', '1.5');
      expect(() => portfolio.bookFill(oversold)).toThrow(/BINANCE BTC: needs 1.5, 1 free/);
      expect(state(portfolio)).toEqual(before);
      // A refused fill is not remembered: once funded it books.
      portfolio.deposit('BINANCE', 'USDT', '25000', 1);
      expect(portfolio.bookFill(tooBig).status).toBe('booked');
    });

    it('refuses a negative quantity with a ValidationError naming it and changes nothing', () => {
      const portfolio = funded();
      const before = state(portfolio);
      const negative: Fill = {
        ...fill(BTC_BINANCE, 'BUY', '100', '1'),
        quantity: new Decimal('-1'),
      };
      expect(() => portfolio.bookFill(negative)).toThrow(
        /quantity: must be a finite Decimal greater than 0/,
      );
      expect(state(portfolio)).toEqual(before);
    });

    it('refuses a NaN, infinite or non-positive mark, and a mark of an unknown instrument', () => {
      const portfolio = funded();
      portfolio.bookFill(fill(BTC_BINANCE, 'BUY', '100', '1'));
      portfolio.mark(BTC_BINANCE, 100, 0);
      expect(() => portfolio.mark(BTC_BINANCE, Number.NaN, 1)).toThrow(
        /price: must be a finite number greater than 0, was NaN/,
      );
      expect(() => portfolio.mark(BTC_BINANCE, Number.POSITIVE_INFINITY, 1)).toThrow(/price/);
      expect(() => portfolio.mark(BTC_BINANCE, 0, 1)).toThrow(/price/);
      expect(() => portfolio.mark(BTC_BINANCE, 100, -1)).toThrow(/timeMs/);
      expect(() => portfolio.mark(instrumentId('XRPUSDT', 'BINANCE'), 1, 1)).toThrow(
        /unknown symbol XRPUSDT.BINANCE/,
      );
      expect(portfolio.markOf(BTC_BINANCE)).toBe(100);
      expect(portfolio.rates().get('BTC')).toBe(100);
    });

    it('refuses malformed options and instruments that change assets', () => {
      expect(() => new Portfolio({ reportingCurrency: '' })).toThrow(/reportingCurrency/);
      const portfolio = new Portfolio({ reportingCurrency: 'USDT', instruments });
      expect(() =>
        portfolio.addInstrument({ id: BTC_BINANCE, baseAsset: 'BTC', quoteAsset: 'USDC' }),
      ).toThrow(/instrument: must keep the assets BTC\/USDT of BTCUSDT.BINANCE/);
      expect(() => portfolio.setRate('BNB', Number.NaN)).toThrow(
        /rate: must be a finite number greater than 0/,
      );
      expect(() => portfolio.deposit('BINANCE', 'USDT', '-5', 0)).toThrow(
        /amount: must be greater than 0/,
      );
      expect(portfolio.accounts()).toEqual([]);
    });
  });
});
