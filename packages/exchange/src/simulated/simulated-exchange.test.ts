import {
  createOrderRequest,
  Decimal,
  type Fill,
  Instrument,
  instrumentId,
  isQtpError,
  type OrderReport,
  type OrderRequestInput,
  SimulatedClock,
  type ValidationError,
} from '@qtp/core';
import {
  barFillModel,
  fixedBpsSlippage,
  fixedLatency,
  instrumentFees,
  SimulatedExchange,
  type SimulatedExchangeOptions,
  uniformLatency,
} from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'SIM');
const btc = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.001',
  minNotional: '10',
  makerFee: '0.001',
  takerFee: '0.002',
});
const MINUTE = 60_000;

function setup(options: Partial<SimulatedExchangeOptions> = {}) {
  const clock = new SimulatedClock({ startMs: 0 });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [btc],
    balances: { USDT: '100000', BTC: '10' },
    ...options,
  });
  const fills: Fill[] = [];
  const updates: OrderReport[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  exchange.executions.on('orderUpdate', (event) => updates.push(event.report));
  let closeMs = 0;
  const bar = (open: number, high: number, low: number, close: number, volume = 1000) => {
    closeMs += MINUTE;
    clock.advanceTo(closeMs);
    exchange.onBar({
      instrumentId: id,
      interval: '1m',
      openTimeMs: closeMs - MINUTE,
      closeTimeMs: closeMs - 1,
      open,
      high,
      low,
      close,
      volume,
    });
  };
  const place = (input: Omit<OrderRequestInput, 'instrumentId'>) =>
    exchange.placeOrder(createOrderRequest({ instrumentId: id, ...input }));
  const status = async (clientOrderId: string) =>
    (await exchange.fetchOrder({ instrumentId: id, clientOrderId })).status;
  const balance = async (asset: string) => {
    const found = (await exchange.fetchBalances()).find((entry) => entry.asset === asset);
    return { free: found!.free.toString(), locked: found!.locked.toString() };
  };
  return { clock, exchange, fills, updates, bar, place, status, balance };
}

const priced = (fills: readonly Fill[]) =>
  fills.map((fill) => [fill.price.toString(), fill.quantity.toString(), fill.liquiditySide]);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'none';
  } catch (error) {
    return isQtpError(error) ? error.code : String(error);
  }
}

describe('SimulatedExchange with the bar fill model', () => {
  it('emits bars only for a subscribed instrument and interval, and stops after unsubscribing', async () => {
    const { exchange, bar } = setup();
    const seen: number[] = [];
    exchange.marketData.on('bar', (event) => seen.push(event.bar.open));
    bar(100, 101, 99, 100);
    await exchange.subscribe({ kind: 'bars', instrumentId: id, interval: '5m' });
    bar(101, 102, 100, 101);
    await exchange.subscribe({ kind: 'bars', instrumentId: id, interval: '1m' });
    bar(102, 103, 101, 102);
    await exchange.unsubscribe({ kind: 'bars', instrumentId: id, interval: '1m' });
    bar(103, 104, 102, 103);
    expect(seen).toEqual([102]);
  });

  it('never fills an order inside the bar that produced the signal', async () => {
    const { exchange, fills, bar, place } = setup();
    await exchange.subscribe({ kind: 'bars', instrumentId: id, interval: '1m' });
    exchange.marketData.once('bar', () => {
      void place({ side: 'BUY', type: 'MARKET', quantity: '1', clientOrderId: 'signal' });
    });
    bar(100, 110, 90, 105);
    expect(fills).toHaveLength(0);
    bar(106, 107, 104, 105);
    expect(priced(fills)).toEqual([['106', '1', 'TAKER']]);
  });

  it("stamps a fill at the next bar's open with that bar's open time, and a later fill with the bar's handling time", async () => {
    const { fills, bar, place } = setup();
    bar(100, 101, 99, 100); // handled at 60 000
    await place({ side: 'BUY', type: 'MARKET', quantity: '1', clientOrderId: 'm' });
    await place({ side: 'BUY', type: 'LIMIT', price: '97', quantity: '1', clientOrderId: 'l' });
    // Bar 2 opens at 60 000 (its open price 102), dips to 96 and is handled at 120 000.
    bar(102, 103, 96, 101);
    expect(fills.map((fill) => [fill.clientOrderId, fill.price.toString(), fill.timeMs])).toEqual([
      ['m', '102', MINUTE],
      ['l', '97', 2 * MINUTE],
    ]);
  });

  it('fills a market order at the next open and charges the taker fee in the quote asset', async () => {
    const { fills, bar, place, balance } = setup();
    bar(100, 101, 99, 100);
    const ack = await place({ side: 'BUY', type: 'MARKET', quantity: '2', clientOrderId: 'm1' });
    expect(ack.status).toBe('ACCEPTED');
    bar(102, 103, 101, 102);
    expect(priced(fills)).toEqual([['102', '2', 'TAKER']]);
    expect(fills[0]!.fee.amount.toString()).toBe('0.408');
    expect(fills[0]!.fee.currency).toBe('USDT');
    expect(await balance('USDT')).toEqual({ free: '99795.592', locked: '0' });
    expect(await balance('BTC')).toEqual({ free: '12', locked: '0' });
  });

  it('charges the fee in the asset received when told to', async () => {
    const { fills, bar, place, balance } = setup({
      feeModel: instrumentFees({ chargeIn: 'received' }),
    });
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'MARKET', quantity: '2', clientOrderId: 'm1' });
    bar(100, 101, 99, 100);
    expect(fills[0]!.fee).toEqual({ amount: new Decimal('0.004'), currency: 'BTC' });
    expect(await balance('BTC')).toEqual({ free: '11.996', locked: '0' });
    expect(await balance('USDT')).toEqual({ free: '99800', locked: '0' });
  });

  it('fills a resting limit at the limit when a bar trades through it', async () => {
    const { fills, bar, place, status } = setup();
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95', clientOrderId: 'l1' });
    bar(100, 101, 96, 97);
    expect(fills).toHaveLength(0);
    bar(97, 98, 94, 96);
    expect(priced(fills)).toEqual([['95', '1', 'MAKER']]);
    expect(fills[0]!.fee.amount.toString()).toBe('0.095');
    expect(await status('l1')).toBe('FILLED');
  });

  it('leaves a limit that is only touched unfilled under the through rule, and fills it under touch', async () => {
    const through = setup();
    through.bar(100, 101, 99, 100);
    await through.place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95' });
    through.bar(100, 101, 95, 96);
    expect(through.fills).toHaveLength(0);

    const touch = setup({ fillModel: barFillModel({ limitFill: 'touch' }) });
    touch.bar(100, 101, 99, 100);
    await touch.place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95' });
    touch.bar(100, 101, 95, 96);
    expect(priced(touch.fills)).toEqual([['95', '1', 'MAKER']]);
  });

  it('fills a resting limit at the open when the bar gaps past it', async () => {
    const { fills, bar, place } = setup();
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95' });
    await place({ side: 'SELL', type: 'LIMIT', quantity: '1', price: '110' });
    bar(90, 91, 88, 89);
    bar(115, 116, 112, 113);
    expect(priced(fills)).toEqual([
      ['90', '1', 'MAKER'],
      ['115', '1', 'MAKER'],
    ]);
  });

  it('fills a limit marketable on arrival as a taker at the next open', async () => {
    const { fills, bar, place } = setup();
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '105' });
    bar(101, 102, 100, 101);
    expect(priced(fills)).toEqual([['101', '1', 'TAKER']]);
  });

  it('triggers a stop market on the high and fills it at the trigger, or at the open past a gap', async () => {
    const { fills, updates, bar, place } = setup();
    bar(100, 101, 99, 100);
    await place({
      side: 'BUY',
      type: 'STOP_MARKET',
      quantity: '1',
      triggerPrice: '105',
      clientOrderId: 's1',
    });
    await place({
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '1',
      triggerPrice: '95',
      clientOrderId: 's2',
    });
    bar(100, 106, 99, 104);
    expect(priced(fills)).toEqual([['105', '1', 'TAKER']]);
    expect(updates.filter((u) => u.clientOrderId === 's1').map((u) => u.status)).toEqual([
      'ACCEPTED',
      'TRIGGERED',
      'FILLED',
    ]);
    bar(90, 92, 89, 91);
    expect(priced(fills)[1]).toEqual(['90', '1', 'TAKER']);
  });

  it('fills a triggered stop limit at once when marketable, and rests it when the trigger gapped past the limit', async () => {
    const { fills, bar, place, status } = setup();
    bar(100, 101, 99, 100);
    await place({
      side: 'SELL',
      type: 'STOP_LIMIT',
      quantity: '1',
      triggerPrice: '95',
      price: '94',
      clientOrderId: 'a',
    });
    bar(100, 101, 93, 96);
    expect(priced(fills)).toEqual([['95', '1', 'TAKER']]);

    await place({
      side: 'SELL',
      type: 'STOP_LIMIT',
      quantity: '1',
      triggerPrice: '90',
      price: '89',
      clientOrderId: 'b',
    });
    bar(85, 86, 84, 85);
    expect(await status('b')).toBe('TRIGGERED');
    expect(fills).toHaveLength(1);
    bar(86, 90, 85, 88);
    expect(priced(fills)[1]).toEqual(['89', '1', 'MAKER']);
  });

  it('walks the bar open, nearer extreme, other extreme, close by default', async () => {
    const nearest = setup();
    nearest.bar(100, 101, 99, 100);
    await nearest.place({
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '1',
      triggerPrice: '95',
      clientOrderId: 'stop',
    });
    await nearest.place({
      side: 'SELL',
      type: 'LIMIT',
      quantity: '1',
      price: '110',
      clientOrderId: 'take',
    });
    nearest.bar(100, 111, 94, 100); // the low is nearer the open: the stop goes first
    expect(nearest.fills.map((fill) => fill.clientOrderId)).toEqual(['stop', 'take']);

    const highFirst = setup({ fillModel: barFillModel({ intrabarPath: 'high-first' }) });
    highFirst.bar(100, 101, 99, 100);
    await highFirst.place({
      side: 'SELL',
      type: 'STOP_MARKET',
      quantity: '1',
      triggerPrice: '95',
      clientOrderId: 'stop',
    });
    await highFirst.place({
      side: 'SELL',
      type: 'LIMIT',
      quantity: '1',
      price: '110',
      clientOrderId: 'take',
    });
    highFirst.bar(100, 111, 94, 100);
    expect(highFirst.fills.map((fill) => fill.clientOrderId)).toEqual(['take', 'stop']);
  });

  it('fills a large order partially across bars under a volume cap', async () => {
    const { fills, updates, bar, place, status } = setup({
      fillModel: barFillModel({ volumeCap: 0.1 }),
    });
    bar(100, 101, 99, 100);
    await place({
      side: 'BUY',
      type: 'LIMIT',
      quantity: '2.5',
      price: '99.5',
      clientOrderId: 'big',
    });
    for (let i = 0; i < 3; i++) bar(100, 101, 98, 100, 10);
    expect(priced(fills)).toEqual([
      ['99.5', '1', 'MAKER'],
      ['99.5', '1', 'MAKER'],
      ['99.5', '0.5', 'MAKER'],
    ]);
    expect(updates.map((u) => u.status)).toEqual([
      'ACCEPTED',
      'PARTIALLY_FILLED',
      'PARTIALLY_FILLED',
      'FILLED',
    ]);
    expect(await status('big')).toBe('FILLED');
  });

  it('expires the rest of a market order the volume cap left unfilled', async () => {
    const { fills, bar, place, status } = setup({ fillModel: barFillModel({ volumeCap: 0.5 }) });
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'MARKET', quantity: '3', clientOrderId: 'm' });
    bar(100, 101, 99, 100, 4);
    expect(priced(fills)).toEqual([['100', '2', 'TAKER']]);
    expect(await status('m')).toBe('EXPIRED');
  });

  it('expires an IOC limit not marketable at the next open', async () => {
    const { fills, bar, place, status } = setup();
    bar(100, 101, 99, 100);
    await place({
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'IOC',
      quantity: '1',
      price: '99',
      clientOrderId: 'ioc',
    });
    bar(100, 101, 98, 100); // trades through 99 later in the bar, but IOC lives only at the open
    expect(fills).toHaveLength(0);
    expect(await status('ioc')).toBe('EXPIRED');
  });

  it('expires a FOK order that cannot fill in full, without a fill', async () => {
    const { fills, bar, place, status } = setup({ fillModel: barFillModel({ volumeCap: 0.1 }) });
    bar(100, 101, 99, 100);
    await place({
      side: 'BUY',
      type: 'MARKET',
      timeInForce: 'FOK',
      quantity: '5',
      clientOrderId: 'fok',
    });
    bar(100, 101, 99, 100, 10);
    expect(fills).toHaveLength(0);
    expect(await status('fok')).toBe('EXPIRED');
  });

  it('rejects a post-only order that would take, and fills a resting one as a maker', async () => {
    const { exchange, fills, bar, place, status } = setup();
    bar(100, 101, 99, 100);
    const code = await codeOf(
      place({
        side: 'BUY',
        type: 'LIMIT_MAKER',
        quantity: '1',
        price: '100.5',
        clientOrderId: 'pm1',
      }),
    );
    expect(code).toBe('INVALID_ORDER');
    const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId: 'pm1' });
    expect(report.status).toBe('REJECTED');
    expect(report.rejectReason).toMatch(/would immediately match/);
    await place({
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '1',
      price: '99',
      clientOrderId: 'pm2',
    });
    bar(100, 100, 98, 99);
    expect(priced(fills)).toEqual([['99', '1', 'MAKER']]);
    expect(await status('pm2')).toBe('FILLED');
  });

  it('rejects orders that break the instrument rules, naming each rule', async () => {
    const { place } = setup();
    try {
      await place({
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.0005',
        price: '100.005',
        clientOrderId: 'bad',
      });
      expect.unreachable();
    } catch (error) {
      expect(isQtpError(error, 'INVALID_ORDER')).toBe(true);
      const cause = (error as Error).cause as ValidationError;
      expect(cause.issues.map((issue) => (issue as { check?: string }).check)).toEqual([
        'tick',
        'step',
        'minQuantity',
        'minNotional',
      ]);
    }
  });

  it('rejects an order the free balance cannot cover, with the reason, and leaves balances alone', async () => {
    const { exchange, place, balance } = setup();
    const code = await codeOf(
      place({ side: 'BUY', type: 'LIMIT', quantity: '1000', price: '100', clientOrderId: 'big' }),
    );
    expect(code).toBe('INSUFFICIENT_FUNDS');
    const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId: 'big' });
    expect(report.status).toBe('REJECTED');
    expect(report.rejectReason).toMatch(/insufficient USDT/);
    expect(await balance('USDT')).toEqual({ free: '100000', locked: '0' });
    expect(await codeOf(place({ side: 'SELL', type: 'LIMIT', quantity: '11', price: '100' }))).toBe(
      'INSUFFICIENT_FUNDS',
    );
  });

  it('locks the funds of a resting order and releases them on cancel', async () => {
    const { exchange, place, balance } = setup();
    await place({ side: 'BUY', type: 'LIMIT', quantity: '10', price: '100', clientOrderId: 'buy' });
    await place({
      side: 'SELL',
      type: 'LIMIT',
      quantity: '4',
      price: '120',
      clientOrderId: 'sell',
    });
    // 1000 notional plus the larger (taker) fee of 2.
    expect(await balance('USDT')).toEqual({ free: '98998', locked: '1002' });
    expect(await balance('BTC')).toEqual({ free: '6', locked: '4' });
    await exchange.cancelOrder({ instrumentId: id, clientOrderId: 'buy' });
    await exchange.cancelOrder({ instrumentId: id, clientOrderId: 'sell' });
    expect(await balance('USDT')).toEqual({ free: '100000', locked: '0' });
    expect(await balance('BTC')).toEqual({ free: '10', locked: '0' });
  });

  it('locks a market buy at the last price plus the taker fee, the only one it can pay', async () => {
    // Maker dearer than taker, so a lock at the larger fee would show.
    const dearMaker = new Instrument({
      id,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      priceIncrement: '0.01',
      sizeIncrement: '0.001',
      makerFee: '0.005',
      takerFee: '0.002',
    });
    const { bar, place, balance } = setup({ instruments: [dearMaker] });
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'MARKET', quantity: '2' });
    // 2 x 100 at the last close, plus 0.2 % of it.
    expect(await balance('USDT')).toEqual({ free: '99799.6', locked: '200.4' });
    bar(101, 102, 100, 101); // fills at the open, 101: 202 plus a 0.404 fee, 2.004 from free
    expect(await balance('USDT')).toEqual({ free: '99797.596', locked: '0' });
    expect(await balance('BTC')).toEqual({ free: '12', locked: '0' });
  });

  it('releases what a filled buy did not spend', async () => {
    const { bar, place, balance } = setup();
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95' });
    bar(90, 91, 88, 89); // fills at the gap open, 90, as a maker
    expect(await balance('USDT')).toEqual({ free: '99909.91', locked: '0' });
  });

  it('expires a GTD order on the clock and releases its funds', async () => {
    const { clock, updates, place, status, balance } = setup();
    await place({
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTD',
      expireTimeMs: 90_000,
      quantity: '1',
      price: '90',
      clientOrderId: 'gtd',
    });
    clock.advanceTo(89_999);
    expect(await status('gtd')).toBe('ACCEPTED');
    clock.advanceTo(90_000);
    expect(await status('gtd')).toBe('EXPIRED');
    expect(updates.at(-1)).toMatchObject({ status: 'EXPIRED', timeMs: 90_000 });
    expect(await balance('USDT')).toEqual({ free: '100000', locked: '0' });
  });

  it('rejects a GTD order whose expiry has passed on arrival', async () => {
    const { clock, place } = setup();
    clock.advanceTo(100_000);
    const code = await codeOf(
      place({
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTD',
        expireTimeMs: 50_000,
        quantity: '1',
        price: '90',
      }),
    );
    expect(code).toBe('INVALID_ORDER');
  });

  it('delays a placement by the latency, so the order misses the bars before it arrives', async () => {
    const { exchange, fills, bar, place } = setup({ latency: fixedLatency({ submitMs: 90_000 }) });
    bar(100, 101, 99, 100);
    let acked = false;
    const pending = place({
      side: 'BUY',
      type: 'MARKET',
      quantity: '1',
      clientOrderId: 'slow',
    }).then((ack) => {
      acked = true;
      return ack;
    });
    expect(await codeOf(exchange.fetchOrder({ instrumentId: id, clientOrderId: 'slow' }))).toBe(
      'ORDER_NOT_FOUND',
    );
    bar(101, 102, 100, 101); // t = 120 000: the order is still on its way
    await Promise.resolve();
    expect(acked).toBe(false);
    bar(102, 103, 101, 102); // the clock passes 150 000 first: the order arrives, then this bar fills it
    const ack = await pending;
    expect(ack.timeMs).toBe(150_000);
    expect(priced(fills)).toEqual([['102', '1', 'TAKER']]);
  });

  it('lets a fill that beats a delayed cancel stand', async () => {
    const { exchange, clock, fills, bar, place, status } = setup({
      latency: fixedLatency({ submitMs: 0, cancelMs: 90_000 }),
    });
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '95', clientOrderId: 'l' });
    const cancel = exchange.cancelOrder({ instrumentId: id, clientOrderId: 'l' });
    bar(96, 97, 94, 95); // at 120 000 it fills, before the cancel arrives at 150 000
    clock.advanceBy(30_000);
    expect(await codeOf(cancel)).toBe('ORDER_NOT_FOUND');
    expect(fills).toHaveLength(1);
    expect(await status('l')).toBe('FILLED');
  });

  it('moves taker fills by the slippage model, rounded to the tick against the taker', async () => {
    const { fills, bar, place } = setup({ slippage: fixedBpsSlippage('7') });
    bar(100, 101, 99, 100);
    await place({ side: 'BUY', type: 'MARKET', quantity: '1' });
    await place({ side: 'SELL', type: 'MARKET', quantity: '1' });
    await place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '100.03' });
    bar(100, 101, 99, 100);
    expect(priced(fills)).toEqual([
      ['100.07', '1', 'TAKER'],
      ['99.93', '1', 'TAKER'],
      ['100.03', '1', 'TAKER'], // never past the limit
    ]);
  });

  it('gives the same events for the same seed and input', async () => {
    const run = async () => {
      const { exchange, bar, place, fills, updates } = setup({
        latency: uniformLatency({ minMs: 0, maxMs: 50_000 }),
        seed: 7,
      });
      const log: string[] = [];
      exchange.executions.on('orderUpdate', (e) =>
        log.push(`${e.report.clientOrderId} ${e.report.status} ${e.report.timeMs}`),
      );
      bar(100, 101, 99, 100);
      const pending = [
        place({ side: 'BUY', type: 'MARKET', quantity: '1' }),
        place({ side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.5' }),
        place({ side: 'SELL', type: 'LIMIT', quantity: '1', price: '100.5' }),
      ];
      bar(100, 101, 99, 100);
      bar(100, 101, 99, 100);
      await Promise.all(pending);
      return { log, fills: priced(fills), updates: updates.length };
    };
    expect(await run()).toEqual(await run());
  });

  it('states its assumptions as data and as sentences', () => {
    const { exchange } = setup({ fillModel: barFillModel({ volumeCap: 0.25 }) });
    const assumptions = exchange.assumptions();
    expect(assumptions.fillModel).toEqual({
      kind: 'bars',
      limitFill: 'through',
      intrabarPath: 'open-nearest-extreme',
      volumeCap: 0.25,
    });
    expect(assumptions.volumeCap).toBe(0.25);
    expect(assumptions.fees.kind).toBe('instrument-rates');
    expect(assumptions.latency.kind).toBe('none');
    expect(assumptions.slippage.kind).toBe('none');
    expect(assumptions.lines.join('\n')).toMatch(/25% of its volume/);
    expect(assumptions.lines.join('\n')).toMatch(/never inside the bar that produced the signal/);
  });

  it('refuses instruments of another venue', () => {
    const other = new Instrument({
      ...btc.toJSON(),
      id: instrumentId('ETHUSDT', 'OTHER'),
      venue: 'OTHER',
      symbol: 'ETHUSDT',
    } as never);
    expect(
      () => new SimulatedExchange({ clock: new SimulatedClock(), instruments: [btc, other] }),
    ).toThrow(/venue SIM/);
  });
});
