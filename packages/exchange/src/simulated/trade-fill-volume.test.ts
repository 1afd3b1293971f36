import {
  createOrderRequest,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderRequestInput,
  SimulatedClock,
} from '@qtp/core';
import {
  describeFillModel,
  SimulatedExchange,
  type TradeFillModelOptions,
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

function setup(options: TradeFillModelOptions) {
  const clock = new SimulatedClock({ startMs: 0 });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '1000000', BTC: '1000' },
    fillModel: tradeFillModel(options),
  });
  const fills: Fill[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  let tradeId = 0;
  const trade = (price: number, size: number) => {
    clock.advanceBy(1_000);
    exchange.onTradeTick({
      instrumentId: id,
      price,
      size,
      aggressorSide: 'SELL',
      tradeId: String(++tradeId),
      timeMs: clock.now(),
    });
  };
  const quote = (bidPrice: number, bidSize: number, askPrice: number, askSize: number) =>
    exchange.onQuoteTick({
      instrumentId: id,
      bidPrice,
      bidSize,
      askPrice,
      askSize,
      timeMs: clock.now(),
    });
  const place = (input: Omit<OrderRequestInput, 'instrumentId'>) =>
    exchange.placeOrder(createOrderRequest({ instrumentId: id, ...input }));
  const order = (clientOrderId: string) => exchange.fetchOrder({ instrumentId: id, clientOrderId });
  return { fills, trade, quote, place, order };
}

const priced = (fills: readonly Fill[]) =>
  fills.map((fill) => [
    String(fill.clientOrderId),
    fill.price.toString(),
    fill.quantity.toString(),
    fill.liquiditySide,
  ]);

describe('tradeFillModel options', () => {
  it('keeps full taker fills and fill-on-trade-through limits by default', () => {
    const model = tradeFillModel();
    expect(model.takerVolume).toBe('full');
    expect(model.queuePosition).toBe(false);
    expect(model.queueAhead).toBe(0);
  });

  it('states the chosen taker and queue rules among the assumptions', () => {
    const lines = describeFillModel(
      tradeFillModel({ takerVolume: 'traded', queuePosition: true, queueAhead: 25 }),
    );
    expect(lines.some((line) => line.includes("at most each trade's size"))).toBe(true);
    expect(lines.some((line) => line.includes('else 25 base units'))).toBe(true);
    expect(describeFillModel(tradeFillModel()).join(' ')).toContain('trade size does not cap them');
  });

  it.each([
    ['takerVolume', { takerVolume: 'some' }],
    ['queuePosition', { queuePosition: 'yes' }],
    ['queueAhead', { queueAhead: -1 }],
    ['queueAhead', { queueAhead: Number.NaN }],
  ])('rejects a bad %s', (field, options) => {
    try {
      tradeFillModel(options as TradeFillModelOptions);
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error) && error.code).toBe('VALIDATION');
      expect(String((error as Error).message)).toContain(field);
    }
  });
});

describe("takerVolume: 'traded'", () => {
  it('fills a market order up to the first trade it meets and expires the rest', async () => {
    const { fills, trade, place, order } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    await place({ clientOrderId: 'm', side: 'BUY', type: 'MARKET', quantity: '5' });
    trade(100.5, 2);
    trade(100.6, 9);
    expect(priced(fills)).toEqual([['m', '100.5', '2', 'TAKER']]);
    const m = await order('m');
    expect(m.status).toBe('EXPIRED');
    expect(m.filledQuantity.toString()).toBe('2');
  });

  it('gives the next order in the same trade only what the first left', async () => {
    const { fills, trade, place } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    await place({ clientOrderId: 'a', side: 'BUY', type: 'MARKET', quantity: '5' });
    await place({ clientOrderId: 'b', side: 'BUY', type: 'MARKET', quantity: '5' });
    await place({ clientOrderId: 'c', side: 'BUY', type: 'MARKET', quantity: '5' });
    trade(101, 6);
    expect(priced(fills)).toEqual([
      ['a', '101', '5', 'TAKER'],
      ['b', '101', '1', 'TAKER'],
    ]);
  });

  it('expires a FOK the first trade cannot cover, without a fill', async () => {
    const { fills, trade, place, order } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    const fok = { side: 'BUY', type: 'LIMIT', price: '101', timeInForce: 'FOK' } as const;
    await place({ clientOrderId: 'f', quantity: '7', ...fok });
    await place({ clientOrderId: 'g', quantity: '3', ...fok });
    trade(100.2, 6);
    expect(priced(fills)).toEqual([['g', '100.2', '3', 'TAKER']]);
    expect((await order('f')).status).toBe('EXPIRED');
  });

  it('walks a marketable limit across trades at their prices, then rests it past its limit', async () => {
    const { fills, trade, place, order } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    await place({ clientOrderId: 'l', side: 'BUY', type: 'LIMIT', price: '101', quantity: '10' });
    trade(100.5, 4); // takes 4 at 100.5
    trade(100.8, 3); // takes 3 at 100.8
    trade(102, 5); // outside the limit: rests with 3 left
    trade(101, 5); // at the limit, not through it: no fill under the default rule
    trade(100.9, 2); // through the limit: 2 at the limit, as a maker
    expect(priced(fills)).toEqual([
      ['l', '100.5', '4', 'TAKER'],
      ['l', '100.8', '3', 'TAKER'],
      ['l', '101', '2', 'MAKER'],
    ]);
    expect((await order('l')).filledQuantity.toString()).toBe('9');
  });

  it('walks a triggered stop-market until it is filled', async () => {
    const { fills, trade, place } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    await place({
      clientOrderId: 's',
      side: 'SELL',
      type: 'STOP_MARKET',
      triggerPrice: '99',
      quantity: '6',
    });
    trade(98.9, 1); // triggers; released to the next trade
    trade(98.5, 2);
    trade(98, 3);
    trade(97.5, 4);
    expect(priced(fills)).toEqual([
      ['s', '98.5', '2', 'TAKER'],
      ['s', '98', '3', 'TAKER'],
      ['s', '97.5', '1', 'TAKER'],
    ]);
  });

  it('leaves resting limits only the size the takers did not take', async () => {
    const { fills, trade, place } = setup({ takerVolume: 'traded' });
    trade(100, 1);
    await place({ clientOrderId: 'r', side: 'BUY', type: 'LIMIT', price: '99', quantity: '10' });
    await place({ clientOrderId: 'm', side: 'BUY', type: 'MARKET', quantity: '3' });
    trade(98.5, 5);
    expect(priced(fills)).toEqual([
      ['m', '98.5', '3', 'TAKER'],
      ['r', '99', '2', 'MAKER'],
    ]);
  });
});

describe('stops in the trade fill model', () => {
  it.each(['full', 'traded'] as const)(
    'leave a stop placed before any trade unfilled until a trade reaches its trigger (%s)',
    async (takerVolume) => {
      const { fills, trade, place } = setup({ takerVolume });
      await place({
        clientOrderId: 's',
        side: 'BUY',
        type: 'STOP_MARKET',
        triggerPrice: '100',
        quantity: '0.2',
      });
      trade(99.9, 1); // below the trigger: nothing
      trade(100, 1); // triggers; released to the next trade
      trade(100.2, 1);
      expect(priced(fills)).toEqual([['s', '100.2', '0.2', 'TAKER']]);
    },
  );
});

describe('queuePosition', () => {
  it('queues behind the quoted size at the price, then fills from trades there', async () => {
    const { fills, trade, quote, place, order } = setup({ queuePosition: true, queueAhead: 50 });
    trade(100.1, 1);
    quote(100, 7, 100.1, 3);
    await place({ clientOrderId: 'q', side: 'BUY', type: 'LIMIT', price: '100', quantity: '5' });
    trade(100, 4); // queue 7 -> 3
    expect(fills).toEqual([]);
    trade(100, 5); // queue 3 -> 0, then 2 fill
    trade(99.9, 10); // through the price: the last 3
    expect(priced(fills)).toEqual([
      ['q', '100', '2', 'MAKER'],
      ['q', '100', '3', 'MAKER'],
    ]);
    expect((await order('q')).status).toBe('FILLED');
  });

  it('assumes the queueAhead option when no quote shows the price', async () => {
    const { fills, trade, place } = setup({ queuePosition: true, queueAhead: 20 });
    trade(100, 1);
    await place({ clientOrderId: 'q', side: 'SELL', type: 'LIMIT', price: '101', quantity: '5' });
    trade(101, 15);
    trade(101, 8); // 5 of the queue left, then 3 fill
    expect(priced(fills)).toEqual([['q', '101', '3', 'MAKER']]);
  });

  it('has no queue when the limit betters the quote', async () => {
    const { fills, trade, quote, place } = setup({ queuePosition: true, queueAhead: 20 });
    trade(100, 1);
    quote(99.8, 7, 100.2, 3);
    await place({ clientOrderId: 'q', side: 'BUY', type: 'LIMIT', price: '99.9', quantity: '5' });
    trade(99.9, 4);
    expect(priced(fills)).toEqual([['q', '99.9', '4', 'MAKER']]);
  });

  it('shortens the queue when a later quote shows less at the price', async () => {
    const { fills, trade, quote, place } = setup({ queuePosition: true });
    trade(100.1, 1);
    quote(100, 9, 100.1, 3);
    await place({ clientOrderId: 'q', side: 'BUY', type: 'LIMIT', price: '100', quantity: '5' });
    quote(100, 2, 100.1, 3);
    trade(100, 4); // queue 2, then 2 fill
    expect(priced(fills)).toEqual([['q', '100', '2', 'MAKER']]);
  });
});
