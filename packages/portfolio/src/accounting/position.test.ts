import { createFill, createMoney, type Fill, instrumentId, type Money } from '@qtp/core';
import { type ClosedLot, Position } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

const id = instrumentId('ETHUSDT', 'BINANCE');
const eth = { id, baseAsset: 'ETH', quoteAsset: 'USDT' };
let trade = 0;

function fill(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  fee: Money = createMoney('0', 'USDT'),
  timeMs = 0,
): Fill {
  trade += 1;
  return createFill({
    tradeId: `t${trade}`,
    clientOrderId: `c${trade}`,
    venueOrderId: `v${trade}`,
    instrumentId: id,
    side,
    price,
    quantity,
    fee,
    liquiditySide: 'TAKER',
    timeMs,
  });
}

const lotText = (lot: ClosedLot) => ({
  side: lot.side,
  quantity: lot.quantity.toFixed(),
  entryPrice: lot.entryPrice.toFixed(),
  exitPrice: lot.exitPrice.toFixed(),
  pnl: lot.realizedPnl.amount.toFixed(),
  entryFee: `${lot.entryFee.amount.toFixed()} ${lot.entryFee.currency}`,
  exitFee: `${lot.exitFee.amount.toFixed()} ${lot.exitFee.currency}`,
});

describe('Position', () => {
  it('opens a long lot per buy and derives the average entry price from the lots', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '2000', '1'));
    position.apply(fill('BUY', '2300', '2'));
    expect(position.side).toBe('LONG');
    expect(position.quantity.toFixed()).toBe('3');
    expect(position.lots.map((lot) => lot.quantity.toFixed())).toEqual(['1', '2']);
    expect(position.averageEntryPrice?.toFixed()).toBe('2200');
    expect(position.unrealizedPnl(2100).amount.toFixed()).toBe('-300');
    expect(position.realizedPnl.amount.toFixed()).toBe('0');
  });

  it('closes the oldest long lot first on a partial close', () => {
    const position = new Position(eth);
    const first = fill('BUY', '2000', '1', createMoney('2', 'USDT'), 1_000);
    position.apply(first);
    position.apply(fill('BUY', '2300', '2', createMoney('4.6', 'USDT'), 2_000));
    const change = position.apply(fill('SELL', '2400', '1.5', createMoney('3.6', 'USDT'), 3_000));
    // Lot 1: 1 × (2400 - 2000) = 400; lot 2: 0.5 × (2400 - 2300) = 50.
    expect(change.closedLots.map(lotText)).toEqual([
      {
        side: 'LONG',
        quantity: '1',
        entryPrice: '2000',
        exitPrice: '2400',
        pnl: '400',
        entryFee: '2 USDT',
        exitFee: '2.4 USDT',
      },
      {
        side: 'LONG',
        quantity: '0.5',
        entryPrice: '2300',
        exitPrice: '2400',
        pnl: '50',
        entryFee: '1.15 USDT',
        exitFee: '1.2 USDT',
      },
    ]);
    expect(change.closedLots[0]).toMatchObject({
      entryTradeId: first.tradeId,
      entryTimeMs: 1_000,
      exitTimeMs: 3_000,
    });
    expect(change.realizedPnl.amount.toFixed()).toBe('450');
    expect(change.previousQuantity.toFixed()).toBe('3');
    expect(change.quantity.toFixed()).toBe('1.5');
    expect(change.openedLot).toBeNull();
    expect(
      position.lots.map((lot) => [lot.quantity.toFixed(), lot.entryFee.amount.toFixed()]),
    ).toEqual([['1.5', '3.45']]);
    expect(position.averageEntryPrice?.toFixed()).toBe('2300');
    // Fees stay out of P&L and are reported apart.
    expect(position.realizedPnl.amount.toFixed()).toBe('450');
    expect(position.fees.map((fee) => fee.amount.toFixed())).toEqual(['10.2']);
  });

  it('books a short: a sell opens it and a buy below the entry realizes a profit', () => {
    const position = new Position(eth);
    position.apply(fill('SELL', '2500', '2'));
    expect(position.side).toBe('SHORT');
    expect(position.quantity.toFixed()).toBe('-2');
    expect(position.unrealizedPnl(2600).amount.toFixed()).toBe('-200');
    const change = position.apply(fill('BUY', '2450', '2'));
    expect(change.closedLots.map(lotText)).toEqual([
      {
        side: 'SHORT',
        quantity: '2',
        entryPrice: '2500',
        exitPrice: '2450',
        pnl: '100',
        entryFee: '0 USDT',
        exitFee: '0 USDT',
      },
    ]);
    expect(position.side).toBe('FLAT');
    expect(position.quantity.toFixed()).toBe('0');
    expect(position.averageEntryPrice).toBeNull();
    expect(position.unrealizedPnl(9999).amount.toFixed()).toBe('0');
  });

  it('flips from long to short in one fill: closes every lot, opens the rest on the other side', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '2000', '1'));
    position.apply(fill('BUY', '2100', '1'));
    const flip = fill('SELL', '2050', '3', createMoney('6.15', 'USDT'));
    const change = position.apply(flip);
    expect(change.closedLots.map(lotText)).toEqual([
      {
        side: 'LONG',
        quantity: '1',
        entryPrice: '2000',
        exitPrice: '2050',
        pnl: '50',
        entryFee: '0 USDT',
        exitFee: '2.05 USDT',
      },
      {
        side: 'LONG',
        quantity: '1',
        entryPrice: '2100',
        exitPrice: '2050',
        pnl: '-50',
        entryFee: '0 USDT',
        exitFee: '2.05 USDT',
      },
    ]);
    expect(change.realizedPnl.amount.toFixed()).toBe('0');
    expect(change.openedLot).toMatchObject({ side: 'SHORT', entryTradeId: flip.tradeId });
    expect(change.openedLot?.quantity.toFixed()).toBe('1');
    // The opened lot keeps the share of the fee its quantity carries.
    expect(change.openedLot?.entryFee.amount.toFixed()).toBe('2.05');
    expect(position.quantity.toFixed()).toBe('-1');
    expect(position.averageEntryPrice?.toFixed()).toBe('2050');
  });

  it('flips from short to long in one fill', () => {
    const position = new Position(eth);
    position.apply(fill('SELL', '2000', '0.5'));
    const change = position.apply(fill('BUY', '1900', '0.8'));
    expect(change.realizedPnl.amount.toFixed()).toBe('50');
    expect(position.side).toBe('LONG');
    expect(position.quantity.toFixed()).toBe('0.3');
    expect(position.lots.map((lot) => lot.entryPrice.toFixed())).toEqual(['1900']);
  });

  it('holds what a buy leaves after a fee in the base asset, and keeps the fee apart from the P&L', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '2000', '1', createMoney('0.001', 'ETH')));
    // 1 ETH bought, 0.001 ETH of it taken as the fee: 0.999 ETH held, as the venue's balance says.
    expect(position.quantity.toFixed()).toBe('0.999');
    expect(position.lots.map((lot) => lot.quantity.toFixed())).toEqual(['0.999']);
    const change = position.apply(fill('SELL', '2200', '0.999', createMoney('2.1978', 'USDT')));
    expect(position.side).toBe('FLAT');
    expect(change.realizedPnl).toMatchObject({ currency: 'USDT' });
    // (2200 - 2000) x 0.999, before fees.
    expect(change.realizedPnl.amount.toFixed()).toBe('199.8');
    expect(lotText(change.closedLots[0]!)).toMatchObject({
      quantity: '0.999',
      entryFee: '0.001 ETH',
      exitFee: '2.1978 USDT',
    });
    expect(position.fees.map((fee) => `${fee.amount.toFixed()} ${fee.currency}`)).toEqual([
      '0.001 ETH',
      '2.1978 USDT',
    ]);
  });

  it('gives up the quantity plus a fee in the base asset on a sell', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '2000', '2'));
    const change = position.apply(fill('SELL', '2100', '1', createMoney('0.001', 'ETH')));
    // 1 ETH sold and 0.001 ETH more taken as the fee: 1.001 ETH leaves, 0.999 ETH stays.
    expect(position.quantity.toFixed()).toBe('0.999');
    expect(change.closedLots.map((lot) => lot.quantity.toFixed())).toEqual(['1.001']);
    expect(change.realizedPnl.amount.toFixed()).toBe('100.1');
  });

  it('refuses a buy whose fee in the base asset takes all it bought, changing nothing', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '2000', '1'));
    expect(() => position.apply(fill('BUY', '2000', '0.001', createMoney('0.001', 'ETH')))).toThrow(
      /fee\.amount: must be less than the quantity 0\.001 when charged in the base asset ETH/,
    );
    expect(position.quantity.toFixed()).toBe('1');
    expect(position.lots).toHaveLength(1);
  });

  it('realizes P&L exactly where binary floating point would not', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '0.1', '3'));
    const change = position.apply(fill('SELL', '0.3', '3'));
    expect(change.realizedPnl.amount.toFixed()).toBe('0.6');
    expect(position.realizedPnl.amount.toFixed()).toBe('0.6');
  });

  it('splits a fee over thirds so the shares add up to the fee exactly', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '10', '3', createMoney('1', 'USDT')));
    const lots = [1, 2, 3].map(() => position.apply(fill('SELL', '10', '1')).closedLots[0]!);
    expect(lots.map((lot) => lot.entryFee.amount.toFixed())).toEqual([
      '0.333333333333333333',
      '0.333333333333333334',
      '0.333333333333333333',
    ]);
    const total = lots.reduce(
      (sum, lot) => sum.plus(lot.entryFee.amount),
      createMoney('0', 'USDT').amount,
    );
    expect(total.toFixed()).toBe('1');
  });

  it('rejects a NaN mark, a fill for another instrument and a negative quantity without changing anything', () => {
    const position = new Position(eth);
    position.apply(fill('BUY', '100', '1'));
    expect(() => position.unrealizedPnl(Number.NaN)).toThrow(
      /mark: must be a finite number greater than 0, was NaN/,
    );
    const other = createFill({
      ...fill('BUY', '1', '1'),
      instrumentId: instrumentId('BTCUSDT', 'BINANCE'),
    });
    expect(() => position.apply(other)).toThrow(/instrumentId: must be ETHUSDT.BINANCE/);
    const negative = { ...fill('SELL', '100', '1'), quantity: createMoney('-1', 'ETH').amount };
    expect(() => position.apply(negative)).toThrow(
      /quantity: must be a finite Decimal greater than 0, was "-1"/,
    );
    expect(position.quantity.toFixed()).toBe('1');
    expect(position.closedLots).toHaveLength(0);
  });
});
