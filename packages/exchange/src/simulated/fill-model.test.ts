import {
  type BookLevel,
  createOrderRequest,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderRequestInput,
  SimulatedClock,
} from '@qtp/core';
import {
  barFillModel,
  bookFillModel,
  intrabarPath,
  SimulatedExchange,
  type SimulatedExchangeOptions,
  tradeFillModel,
} from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'SIM');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.1',
  sizeIncrement: '0.1',
});

function setup(options: Partial<SimulatedExchangeOptions>) {
  const clock = new SimulatedClock({ startMs: 0 });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '100000', BTC: '100' },
    ...options,
  });
  const fills: Fill[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  let tradeId = 0;
  let sequence = 0;
  const trade = (price: number, size: number) => {
    clock.advanceBy(1_000);
    exchange.onTradeTick({
      instrumentId: id,
      price,
      size,
      aggressorSide: 'BUY',
      tradeId: String(++tradeId),
      timeMs: clock.now(),
    });
  };
  const snapshot = (bids: BookLevel[], asks: BookLevel[]) => {
    sequence += 1;
    exchange.onBookSnapshot({ instrumentId: id, sequence, bids, asks, timeMs: clock.now() });
  };
  const delta = (bids: BookLevel[], asks: BookLevel[]) => {
    sequence += 1;
    exchange.onBookDelta({
      instrumentId: id,
      firstSequence: sequence,
      lastSequence: sequence,
      bids,
      asks,
      timeMs: clock.now(),
    });
  };
  const place = (input: Omit<OrderRequestInput, 'instrumentId'>) =>
    exchange.placeOrder(createOrderRequest({ instrumentId: id, ...input }));
  const status = async (clientOrderId: string) =>
    (await exchange.fetchOrder({ instrumentId: id, clientOrderId })).status;
  return { exchange, fills, trade, snapshot, delta, place, status };
}

const priced = (fills: readonly Fill[]) =>
  fills.map((fill) => [fill.price.toString(), fill.quantity.toString(), fill.liquiditySide]);

describe('intrabarPath', () => {
  const bar = { open: 100, high: 103, low: 90, close: 95 };
  it('visits the extreme nearer the open first', () => {
    expect(intrabarPath(bar, 'open-nearest-extreme')).toEqual([100, 103, 90, 95]);
    expect(intrabarPath({ ...bar, high: 120 }, 'open-nearest-extreme')).toEqual([100, 90, 120, 95]);
  });
  it('visits the high first on a tie', () => {
    expect(
      intrabarPath({ open: 100, high: 105, low: 95, close: 100 }, 'open-nearest-extreme'),
    ).toEqual([100, 105, 95, 100]);
  });
  it('follows a fixed order when told', () => {
    expect(intrabarPath(bar, 'low-first')).toEqual([100, 90, 103, 95]);
    expect(intrabarPath(bar, 'high-first')).toEqual([100, 103, 90, 95]);
  });
  it('refuses a volume cap of zero', () => {
    expect(() => barFillModel({ volumeCap: 0 })).toThrow(/volumeCap/);
  });
});

describe('SimulatedExchange with the trade tick fill model', () => {
  it('fills a resting limit at its price against a trade through it, up to the traded size', async () => {
    const { fills, trade, place, status } = setup({ fillModel: tradeFillModel() });
    trade(101, 1);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '100', clientOrderId: 'l' });
    trade(100, 5); // at the limit: the queue ahead may take it all
    expect(fills).toHaveLength(0);
    trade(99.9, 0.4);
    expect(priced(fills)).toEqual([['100', '0.4', 'MAKER']]);
    expect(await status('l')).toBe('PARTIALLY_FILLED');
    trade(99.5, 3);
    expect(priced(fills)[1]).toEqual(['100', '0.6', 'MAKER']);
    expect(await status('l')).toBe('FILLED');
  });

  it('fills a limit touched by a trade under the touch rule', async () => {
    const { fills, trade, place } = setup({ fillModel: tradeFillModel({ limitFill: 'touch' }) });
    trade(101, 1);
    await place({ side: 'SELL', type: 'LIMIT', quantity: '1', price: '102' });
    trade(102, 2);
    expect(priced(fills)).toEqual([['102', '1', 'MAKER']]);
  });

  it('fills a market order at the next trade, not the one being handled', async () => {
    const { exchange, fills, trade, place } = setup({ fillModel: tradeFillModel() });
    await exchange.subscribe({ kind: 'trades', instrumentId: id });
    exchange.marketData.once('trade', () => {
      void place({ side: 'BUY', type: 'MARKET', quantity: '3' });
    });
    trade(100, 1);
    expect(fills).toHaveLength(0);
    trade(100.7, 0.1);
    expect(priced(fills)).toEqual([['100.7', '3', 'TAKER']]);
  });

  it('triggers a stop on a trade and fills it on the next', async () => {
    const { fills, trade, place, status } = setup({ fillModel: tradeFillModel() });
    trade(100, 1);
    await place({
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '1',
      triggerPrice: '98',
      clientOrderId: 's',
    });
    trade(97.5, 1);
    expect(await status('s')).toBe('TRIGGERED');
    trade(97, 1);
    expect(priced(fills)).toEqual([['97', '1', 'TAKER']]);
  });

  it('expires an IOC order whose next trade is beyond its limit', async () => {
    const { fills, trade, place, status } = setup({ fillModel: tradeFillModel() });
    trade(100, 1);
    await place({
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '1',
      price: '99',
      clientOrderId: 'i',
    });
    trade(99.5, 1);
    expect(fills).toHaveLength(0);
    expect(await status('i')).toBe('EXPIRED');
  });
});

describe('SimulatedExchange with the L2 book fill model', () => {
  const book = () => {
    const env = setup({ fillModel: bookFillModel() });
    env.snapshot(
      [
        { price: 99, size: 5 },
        { price: 98, size: 5 },
      ],
      [
        { price: 100, size: 1 },
        { price: 101, size: 2 },
      ],
    );
    return env;
  };

  it('walks the book with a market order and consumes its liquidity', async () => {
    const { fills, place, status } = book();
    await place({ side: 'BUY', type: 'MARKET', quantity: '2', clientOrderId: 'a' });
    expect(priced(fills)).toEqual([
      ['100', '1', 'TAKER'],
      ['101', '1', 'TAKER'],
    ]);
    expect(await status('a')).toBe('FILLED');
    await place({ side: 'BUY', type: 'MARKET', quantity: '2', clientOrderId: 'b' });
    expect(priced(fills).slice(2)).toEqual([['101', '1', 'TAKER']]);
    expect(await status('b')).toBe('EXPIRED');
  });

  it('gives back the liquidity when the venue updates the level', async () => {
    const { fills, delta, place } = book();
    await place({ side: 'BUY', type: 'MARKET', quantity: '1' });
    delta([], [{ price: 100, size: 1 }]);
    await place({ side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(priced(fills)).toEqual([
      ['100', '1', 'TAKER'],
      ['100', '1', 'TAKER'],
    ]);
  });

  it('fills the marketable part of a limit and rests the rest behind the displayed size', async () => {
    const { fills, trade, place, status } = book();
    await place({ side: 'BUY', type: 'LIMIT', quantity: '2', price: '100', clientOrderId: 'l' });
    expect(priced(fills)).toEqual([['100', '1', 'TAKER']]);
    expect(await status('l')).toBe('PARTIALLY_FILLED');
    // Nothing else shows at 100 on the bid, so the order is first in its queue.
    trade(100, 0.5);
    expect(priced(fills)[1]).toEqual(['100', '0.5', 'MAKER']);
  });

  it('fills a resting limit only once trades have eaten the queue ahead of it', async () => {
    const { fills, trade, place } = book();
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '99' });
    trade(99, 3);
    expect(fills).toHaveLength(0);
    trade(99, 3); // 2 more ahead, then 1 for us
    expect(priced(fills)).toEqual([['99', '1', 'MAKER']]);
  });

  it('fills a resting limit when the other side of the book crosses it', async () => {
    const { fills, delta, place } = book();
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.5' });
    delta([], [{ price: 99.4, size: 3 }]);
    expect(priced(fills)).toEqual([['99.5', '1', 'MAKER']]);
  });

  it('expires a FOK order the book cannot fill in full, without a fill', async () => {
    const { fills, place, status } = book();
    await place({
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'FOK',
      quantity: '4',
      price: '101',
      clientOrderId: 'f',
    });
    expect(fills).toHaveLength(0);
    expect(await status('f')).toBe('EXPIRED');
  });

  it('rejects a post-only order that would cross the best ask', async () => {
    const { place } = book();
    try {
      await place({ side: 'BUY', type: 'LIMIT_MAKER', quantity: '1', price: '100' });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'INVALID_ORDER')).toBe(true);
    }
  });

  it('triggers a stop when the mid reaches it and walks the book', async () => {
    const { fills, delta, place } = book();
    await place({ side: 'BUY', type: 'STOP_MARKET', quantity: '1', triggerPrice: '100.5' });
    expect(fills).toHaveLength(0);
    delta(
      [{ price: 100.2, size: 1 }],
      [
        { price: 100, size: 0 },
        { price: 101, size: 2 },
      ],
    );
    expect(priced(fills)).toEqual([['101', '1', 'TAKER']]);
  });
});
