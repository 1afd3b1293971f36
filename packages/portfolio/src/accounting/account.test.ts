import { createFill, createMoney, type Fill, instrumentId, isQtpError } from '@qtp/core';
import { Account } from '@qtp/portfolio';
import { describe, expect, it } from 'vitest';

const btc = { id: instrumentId('BTCUSDT', 'BINANCE'), baseAsset: 'BTC', quoteAsset: 'USDT' };

function fill(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  fee = createMoney('0', 'USDT'),
  clientOrderId = 'o-1',
): Fill {
  return createFill({
    tradeId: `${side}-${price}-${quantity}`,
    clientOrderId,
    venueOrderId: '1',
    instrumentId: btc.id,
    side,
    price,
    quantity,
    fee,
    liquiditySide: 'TAKER',
    timeMs: 0,
  });
}

const text = (account: Account, asset: string) => {
  const balance = account.balance(asset);
  return {
    free: balance.free.toFixed(),
    locked: balance.locked.toFixed(),
    total: balance.total.toFixed(),
  };
};

describe('Account', () => {
  it('adds deposits and takes withdrawals from the free balance exactly', () => {
    const account = new Account({ venue: 'BINANCE' });
    expect(account.accountType).toBe('cash');
    account.deposit('USDT', '0.1');
    account.deposit('USDT', '0.2');
    account.withdraw('USDT', '0.3');
    expect(text(account, 'USDT')).toEqual({ free: '0', locked: '0', total: '0' });
  });

  it('refuses a withdrawal larger than the free balance and keeps the balance', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '100');
    account.lock('o-1', 'USDT', '60');
    expect(() => account.withdraw('USDT', '50')).toThrow(/BINANCE USDT: needs 50, 40 free/);
    expect(text(account, 'USDT')).toEqual({ free: '40', locked: '60', total: '100' });
  });

  it('books a buy: base in, notional and quote fee out', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '1000');
    const changed = account.applyFill(
      fill('BUY', '25000', '0.01', createMoney('0.25', 'USDT')),
      btc,
    );
    expect(changed.map((b) => [b.asset, b.free.toFixed()])).toEqual([
      ['BTC', '0.01'],
      ['USDT', '749.75'],
    ]);
  });

  it('books a buy whose fee is taken in the base asset', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '1000');
    account.applyFill(fill('BUY', '25000', '0.01', createMoney('0.00001', 'BTC')), btc);
    expect(text(account, 'BTC').free).toBe('0.00999');
    expect(text(account, 'USDT').free).toBe('750');
  });

  it('credits a negative fee as a rebate', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('BTC', '1');
    account.applyFill(fill('SELL', '100', '1', createMoney('-0.01', 'USDT')), btc);
    expect(text(account, 'USDT').free).toBe('100.01');
    expect(text(account, 'BTC').free).toBe('0');
  });

  it('draws what a fill spends from its order lock first, then from the free balance', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '1000');
    account.lock('o-1', 'USDT', '200');
    account.applyFill(fill('BUY', '100', '1.5', createMoney('0.15', 'USDT')), btc);
    expect(text(account, 'USDT')).toEqual({ free: '800', locked: '49.85', total: '849.85' });
    account.applyFill(fill('BUY', '100', '1', createMoney('0', 'USDT')), btc);
    // The lock held 49.85; the other 50.15 came from the free balance.
    expect(text(account, 'USDT')).toEqual({ free: '749.85', locked: '0', total: '749.85' });
    expect(account.lockedFor('o-1')).toBeUndefined();
  });

  it('leaves other orders locks alone', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '300');
    account.lock('o-2', 'USDT', '200');
    account.applyFill(fill('BUY', '100', '1'), btc);
    expect(text(account, 'USDT')).toEqual({ free: '0', locked: '200', total: '200' });
    expect(account.lockedFor('o-2')?.amount.toFixed()).toBe('200');
  });

  it('releases a lock in full or in part', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('BTC', '2');
    account.lock('o-9', 'BTC', '1.5');
    expect(account.unlock('o-9', '0.5')?.amount.toFixed()).toBe('0.5');
    expect(text(account, 'BTC')).toEqual({ free: '1', locked: '1', total: '2' });
    const released = account.unlock('o-9');
    expect([released?.amount.toFixed(), released?.currency]).toEqual(['1', 'BTC']);
    expect(account.unlock('o-9')).toBeUndefined();
    expect(text(account, 'BTC')).toEqual({ free: '2', locked: '0', total: '2' });
  });

  it('refuses a fill that would make a balance negative and changes nothing', () => {
    const account = new Account({ venue: 'BINANCE' });
    account.deposit('USDT', '100');
    const before = account.balances();
    let thrown: unknown;
    try {
      account.applyFill(fill('BUY', '100', '1', createMoney('0.1', 'USDT')), btc);
    } catch (error) {
      thrown = error;
    }
    expect(isQtpError(thrown, 'INSUFFICIENT_FUNDS')).toBe(true);
    expect(account.balances()).toEqual(before);
    expect(account.balance('BTC').total.toFixed()).toBe('0');
  });

  it('rejects bad input with a ValidationError naming the field', () => {
    const account = new Account({ venue: 'BINANCE' });
    expect(() => account.deposit('USDT', '-1')).toThrow(/amount: must be greater than 0/);
    expect(() => account.deposit('USDT', 5 as unknown as string)).toThrow(
      /amount: must be a Decimal or a decimal string/,
    );
    expect(() => account.deposit('US DT', '1')).toThrow(/asset: must be an asset code/);
    account.deposit('USDT', '10');
    account.lock('o-1', 'USDT', '1');
    expect(() => account.lock('o-1', 'BTC', '1')).toThrow(/asset: must be USDT/);
    expect(() => account.unlock('o-1', '2')).toThrow(/amount: must be at most 1/);
    expect(() => new Account({ venue: 'binance' })).toThrow(/venue/);
    const other = createFill({
      ...fill('BUY', '1', '1'),
      instrumentId: instrumentId('BTCUSDT', 'OKX'),
    });
    expect(() => account.applyFill(other, btc)).toThrow(
      /instrumentId: must be an instrument of BINANCE/,
    );
    expect(text(account, 'USDT')).toEqual({ free: '9', locked: '1', total: '10' });
  });
});
