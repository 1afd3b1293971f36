import { readFileSync } from 'node:fs';
import {
  createOrderRequest,
  Decimal,
  type Fill,
  Instrument,
  instrumentId,
  type OrderRequestInput,
  SimulatedClock,
} from '@qtp/core';
import { SimulatedExchange, type TradeFillModelOptions, tradeFillModel } from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

// The bundled XRP/ETH trades: time, trade id, aggressor, price, quantity (whole XRP), quote.
const rows = readFileSync(
  new URL('../../../../examples/data/XRPETH-trades.csv', import.meta.url),
  'utf8',
)
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [time, tradeId, side, price, qty] = line.split(',');
    return {
      timeMs: Number(time),
      tradeId: tradeId!,
      buy: side === 'buy',
      price: new Decimal(price!),
      qty: new Decimal(qty!),
    };
  });

const id = instrumentId('XRPETH', 'SIM');
const xrp = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});

// Feeds trades 0..k, places the order, feeds the rest; returns the order's fills.
async function replay(
  options: TradeFillModelOptions,
  k: number,
  input: Omit<OrderRequestInput, 'instrumentId' | 'clientOrderId'>,
) {
  const clock = new SimulatedClock({ startMs: rows[0]!.timeMs });
  const exchange = new SimulatedExchange({
    clock,
    instruments: [xrp],
    balances: { ETH: '1000', XRP: '1000000' },
    fillModel: tradeFillModel(options),
  });
  const fills: Fill[] = [];
  exchange.executions.on('fill', (event) => fills.push(event.fill));
  for (const [index, row] of rows.entries()) {
    clock.advanceBy(Math.max(0, row.timeMs - clock.now()));
    exchange.onTradeTick({
      instrumentId: id,
      price: row.price.toNumber(),
      size: row.qty.toNumber(),
      aggressorSide: row.buy ? 'BUY' : 'SELL',
      tradeId: row.tradeId,
      timeMs: row.timeMs,
    });
    if (index === k) {
      await exchange.placeOrder(
        createOrderRequest({ instrumentId: id, clientOrderId: 'o', ...input }),
      );
    }
  }
  const report = await exchange.fetchOrder({ instrumentId: id, clientOrderId: 'o' });
  return { fills: fills.map((fill) => [fill.price.toString(), fill.quantity.toString()]), report };
}

const K = 200;

describe('trade fill model on the XRPETH trades', () => {
  it("fills a market buy with 'traded' volume up to the next trade's size only", async () => {
    const next = rows[K + 1]!;
    const quantity = next.qty.plus(1000);
    const { fills, report } = await replay({ takerVolume: 'traded' }, K, {
      side: 'BUY',
      type: 'MARKET',
      quantity,
    });
    expect(fills).toEqual([[next.price.toString(), next.qty.toString()]]);
    expect(report.status).toBe('EXPIRED');
  });

  it("fills the same market buy in full at the next trade's price by default", async () => {
    const next = rows[K + 1]!;
    const quantity = next.qty.plus(1000);
    const { fills } = await replay({}, K, { side: 'BUY', type: 'MARKET', quantity });
    expect(fills).toEqual([[next.price.toString(), quantity.toString()]]);
  });

  it('walks a marketable limit across the following trades, each at its price', async () => {
    const limit = rows.reduce(
      (high, row) => (row.price.gt(high) ? row.price : high),
      rows[0]!.price,
    );
    const quantity = new Decimal(5000);
    // Worked from the file: every trade is within the limit, so the order takes each trade's
    // size in turn until 5000 XRP are filled.
    const expected: string[][] = [];
    let remaining = quantity;
    for (const row of rows.slice(K + 1)) {
      if (remaining.isZero()) break;
      const take = Decimal.min(remaining, row.qty);
      expected.push([row.price.toString(), take.toString()]);
      remaining = remaining.minus(take);
    }
    expect(expected.length).toBeGreaterThan(2);
    const { fills, report } = await replay({ takerVolume: 'traded' }, K, {
      side: 'BUY',
      type: 'LIMIT',
      price: limit,
      quantity,
    });
    expect(fills).toEqual(expected);
    expect(report.status).toBe('FILLED');
  });

  it('fills a resting sell only after trades at its price ate the assumed queue', async () => {
    const last = rows[K]!.price;
    // The price above the last one that trades most often in the next 300 trades: the sell
    // rests on arrival and its queue is eaten by trades at that price.
    const counts = new Map<string, number>();
    for (const row of rows.slice(K + 1, K + 301)) {
      if (row.price.gt(last))
        counts.set(row.price.toString(), (counts.get(row.price.toString()) ?? 0) + 1);
    }
    const price = new Decimal([...counts].sort((a, b) => b[1] - a[1])[0]![0]);
    const queueAhead = 1000;
    const quantity = new Decimal(4000);
    // Worked from the file: trades at the price first eat the queue; trades above fill at once.
    const expected: string[][] = [];
    let queue = new Decimal(queueAhead);
    let remaining = quantity;
    let fillsAtPrice = 0;
    for (const row of rows.slice(K + 1)) {
      if (remaining.isZero()) break;
      let left = row.qty;
      if (row.price.lt(price)) continue;
      if (row.price.eq(price)) {
        const eaten = Decimal.min(queue, left);
        queue = queue.minus(eaten);
        left = left.minus(eaten);
      }
      const fill = Decimal.min(remaining, left);
      if (fill.isZero()) continue;
      if (row.price.eq(price)) fillsAtPrice += 1;
      expected.push([price.toString(), fill.toString()]);
      remaining = remaining.minus(fill);
    }
    // The file exercises the queue: it empties, and trades at the price fill the order after.
    expect(queue.isZero()).toBe(true);
    expect(fillsAtPrice).toBeGreaterThan(0);
    const { fills, report } = await replay({ queuePosition: true, queueAhead }, K, {
      side: 'SELL',
      type: 'LIMIT',
      price,
      quantity,
    });
    expect(fills).toEqual(expected);
    expect(report.status).toBe(remaining.isZero() ? 'FILLED' : 'PARTIALLY_FILLED');
  });
});
