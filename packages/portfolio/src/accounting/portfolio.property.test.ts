import { createFill, createMoney, Decimal, type Fill, instrumentId } from '@qtp/core';
import { Portfolio } from '@qtp/portfolio';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'BINANCE');
const ZERO = new Decimal(0);

/** A fill as drawn: integer thousandths of BTC, integer cents of USDT, a fee in either asset. */
const fillSpec = fc.record({
  side: fc.constantFrom('BUY' as const, 'SELL' as const),
  lots: fc.integer({ min: 1, max: 5_000 }),
  cents: fc.integer({ min: 900_000, max: 1_100_000 }),
  feeAsset: fc.constantFrom('USDT', 'BTC'),
  feeUnits: fc.integer({ min: -2, max: 40 }),
});
const fillsArbitrary = fc.array(fillSpec, { minLength: 1, maxLength: 60 });
const markArbitrary = fc.integer({ min: 1, max: 2_000_000 }).map((cents) => cents / 100);

type FillSpec = typeof fillSpec extends fc.Arbitrary<infer T> ? T : never;

function toFills(specs: readonly FillSpec[]): Fill[] {
  return specs.map((spec, i) =>
    createFill({
      tradeId: `t${i}`,
      clientOrderId: `c${i}`,
      venueOrderId: `v${i}`,
      instrumentId: id,
      side: spec.side,
      price: new Decimal(spec.cents).div(100).toFixed(),
      quantity: new Decimal(spec.lots).div(1000).toFixed(),
      // Fees in BTC are in satoshis, in USDT in cents; a few are rebates.
      fee: createMoney(
        new Decimal(spec.feeUnits).div(spec.feeAsset === 'BTC' ? 1e8 : 100),
        spec.feeAsset,
      ),
      liquiditySide: spec.feeUnits < 0 ? 'MAKER' : 'TAKER',
      timeMs: i * 1000,
    }),
  );
}

const START_USDT = new Decimal('1000000000');
const START_BTC = new Decimal('100000');

function portfolioWith(fills: readonly Fill[]): Portfolio {
  const portfolio = new Portfolio({
    reportingCurrency: 'USDT',
    instruments: [{ id, baseAsset: 'BTC', quoteAsset: 'USDT' }],
  });
  // Enough of both assets that a cash account can sell short and buy back without running dry.
  portfolio.deposit('BINANCE', 'USDT', START_USDT, 0);
  portfolio.deposit('BINANCE', 'BTC', START_BTC, 0);
  for (const fill of fills) portfolio.bookFill(fill);
  return portfolio;
}

function state(portfolio: Portfolio): unknown {
  return {
    balances: portfolio
      .account('BINANCE')
      .balances()
      .map((b) => [b.asset, b.free.toFixed(), b.locked.toFixed()]),
    lots: portfolio
      .position(id)
      ?.lots.map((lot) => [
        lot.entryTradeId,
        lot.side,
        lot.quantity.toFixed(),
        lot.entryFee.amount.toFixed(),
      ]),
    closed: portfolio
      .closedLots()
      .map((lot) => [
        lot.entryTradeId,
        lot.exitTradeId,
        lot.quantity.toFixed(),
        lot.realizedPnl.amount.toFixed(),
      ]),
    realized: portfolio.position(id)?.realizedPnl.amount.toFixed(),
    fees: portfolio.fees().map((fee) => `${fee.amount.toFixed()} ${fee.currency}`),
  };
}

const sum = (values: Iterable<Decimal>) =>
  [...values].reduce((total, value) => total.plus(value), ZERO);

describe('Portfolio properties on random fill sequences', () => {
  it('keeps the open lots summing to the position, all on its side', () => {
    fc.assert(
      fc.property(fillsArbitrary, (specs) => {
        const fills = toFills(specs);
        const position = portfolioWith(fills).position(id)!;
        const signed = sum(
          position.lots.map((lot) => (lot.side === 'LONG' ? lot.quantity : lot.quantity.neg())),
        );
        expect(signed.eq(position.quantity)).toBe(true);
        expect(position.lots.every((lot) => lot.side === position.side && lot.quantity.gt(0))).toBe(
          true,
        );
        // A fee in BTC comes out of the BTC a fill moves, so the position is what the account holds.
        const baseFee = (fill: Fill) => (fill.fee.currency === 'BTC' ? fill.fee.amount : ZERO);
        const moved = sum(
          fills.map((fill) =>
            fill.side === 'BUY'
              ? fill.quantity.minus(baseFee(fill))
              : fill.quantity.plus(baseFee(fill)).neg(),
          ),
        );
        expect(position.quantity.toFixed()).toBe(moved.toFixed());
        const held = portfolioWith(fills).account('BINANCE').balance('BTC').total.minus(START_BTC);
        expect(position.quantity.toFixed()).toBe(held.toFixed());
      }),
    );
  });

  it('makes realized P&L the sum over the closed lots', () => {
    fc.assert(
      fc.property(fillsArbitrary, (specs) => {
        const portfolio = portfolioWith(toFills(specs));
        const position = portfolio.position(id)!;
        expect(
          position.realizedPnl.amount.eq(
            sum(portfolio.closedLots().map((lot) => lot.realizedPnl.amount)),
          ),
        ).toBe(true);
      }),
    );
  });

  it('moves cash plus position value by exactly realized plus unrealized P&L minus fees', () => {
    fc.assert(
      fc.property(fillsArbitrary, markArbitrary, (specs, mark) => {
        const fills = toFills(specs);
        const portfolio = portfolioWith(fills);
        const position = portfolio.position(id)!;
        const account = portfolio.account('BINANCE');
        const markDecimal = new Decimal(mark);
        const cashChange = account.balance('USDT').total.minus(START_USDT);
        const baseChange = account.balance('BTC').total.minus(START_BTC);
        // A fee in BTC never enters the position, so it costs its value at its own fill's price.
        const feeValue = sum(
          fills.map((fill) =>
            fill.fee.currency === 'BTC' ? fill.fee.amount.times(fill.price) : fill.fee.amount,
          ),
        );
        const left = cashChange.plus(baseChange.times(markDecimal));
        const right = position.realizedPnl.amount
          .plus(position.unrealizedPnl(mark).amount)
          .minus(feeValue);
        expect(left.toFixed()).toBe(right.toFixed());
      }),
    );
  });

  it('spreads every fee over closed and open lots without losing any of it', () => {
    fc.assert(
      fc.property(fillsArbitrary, (specs) => {
        const portfolio = portfolioWith(toFills(specs));
        const shares = new Map<string, Decimal>();
        const add = (currency: string, amount: Decimal) =>
          shares.set(currency, (shares.get(currency) ?? ZERO).plus(amount));
        for (const lot of portfolio.closedLots()) {
          add(lot.entryFee.currency, lot.entryFee.amount);
          add(lot.exitFee.currency, lot.exitFee.amount);
        }
        for (const lot of portfolio.position(id)!.lots)
          add(lot.entryFee.currency, lot.entryFee.amount);
        for (const fee of portfolio.fees())
          expect((shares.get(fee.currency) ?? ZERO).toFixed()).toBe(fee.amount.toFixed());
      }),
    );
  });

  it('gives the same result for the same fills in the same order', () => {
    fc.assert(
      fc.property(fillsArbitrary, (specs) => {
        const a = portfolioWith(toFills(specs));
        const b = portfolioWith(toFills(specs));
        expect(state(a)).toEqual(state(b));
        a.mark(id, 10_000, 0);
        b.mark(id, 10_000, 0);
        expect(a.closedTrades()).toEqual(b.closedTrades());
        expect(a.equity()).toBe(b.equity());
      }),
    );
  });

  it('changes nothing when fills are replayed, wherever the repeats fall', () => {
    fc.assert(
      fc.property(fillsArbitrary, fc.array(fc.nat(), { maxLength: 20 }), (specs, picks) => {
        const fills = toFills(specs);
        const once = portfolioWith(fills);
        // Each pick replays an already-booked fill right after fill number `pick`.
        const withRepeats: Fill[] = [];
        fills.forEach((fill, i) => {
          withRepeats.push(fill);
          for (const pick of picks)
            if (pick % fills.length === i) withRepeats.push(fills[pick % (i + 1)]!);
        });
        const replayed = portfolioWith(withRepeats);
        expect(state(replayed)).toEqual(state(once));
        const before = state(once);
        for (const fill of fills) expect(once.bookFill(fill).status).toBe('duplicate');
        expect(state(once)).toEqual(before);
      }),
    );
  });
});
