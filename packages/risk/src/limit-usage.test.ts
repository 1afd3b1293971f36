import { instrumentId } from '@qtp/core';
import { limitUsage } from '@qtp/risk';
import { describe, expect, it } from 'vitest';

const btc = instrumentId('BTCUSDT', 'BINANCE');
const eth = instrumentId('ETHUSDT', 'BINANCE');

describe('limitUsage', () => {
  it('counts an instrument without a mark in positions but not in exposures', () => {
    const rows = limitUsage(
      { maxPosition: 10, maxGrossExposure: 1_000, maxNetExposure: 1_000 },
      {
        name: 'account',
        positions: new Map([
          [btc, -0.5],
          [eth, 4],
        ]),
        marks: new Map([[btc, 200]]),
        openOrders: 3,
        ordersLastSecond: undefined,
        equity: () => 1_000,
      },
    );
    expect(rows).toEqual([
      { name: 'account.maxPosition', limit: 10, used: 4 },
      { name: 'account.maxGrossExposure', limit: 1_000, used: 100 },
      { name: 'account.maxNetExposure', limit: 1_000, used: 100 },
    ]);
  });

  it('leaves leverage out while equity is not above zero, and reports open orders when known', () => {
    const rows = limitUsage(
      { maxLeverage: 2, maxOpenOrders: 5 },
      {
        name: 'strategy:x',
        positions: new Map([[btc, 1]]),
        marks: new Map([[btc, 100]]),
        openOrders: 3,
        ordersLastSecond: undefined,
        equity: () => 0,
      },
    );
    expect(rows).toEqual([{ name: 'strategy:x.maxOpenOrders', limit: 5, used: 3, unit: 'orders' }]);
  });
});
