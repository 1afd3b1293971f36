// Execution algorithms run inside a strategy on runBacktest over the real XRP/ETH trades of
// examples/data, and their children are checked against the trade file read by the test itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readCsvTrades, runBacktest } from '@qtp/backtest';
import { type ExecutionAlgorithm, Instrument, instrumentId, type ParentOrderView } from '@qtp/core';
import { tradeFillModel } from '@qtp/exchange';
import { Iceberg, Pov, Twap, transactionCosts } from '@qtp/oms';
import { Strategy } from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const TRADES = fileURLToPath(new URL('../../../examples/data/XRPETH-trades.csv', import.meta.url));
const id = instrumentId('XRPETH', 'BINANCE');
const xrp = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
  takerFee: '0.001',
  makerFee: '0.001',
});

/** The trade file as the test reads it: time, price and quantity of each row. */
const rows = readFileSync(TRADES, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [time, , , price, qty] = line.split(',');
    return { timeMs: Number(time), price: price!, qty: Number(qty) };
  });

/** Starts `make()` on the first trade it hears and keeps the parent. */
class ExecuteOnce extends Strategy {
  parent: ParentOrderView | undefined;
  constructor(private readonly make: () => ExecutionAlgorithm) {
    super({ id: 'exec' }, { schema: z.object({}) });
  }
  protected override onTradeTick(): void {
    this.parent ??= this.execute(this.make());
  }
}

async function run(make: () => ExecutionAlgorithm) {
  const strategy = new ExecuteOnce(make);
  const result = await runBacktest({
    instruments: [xrp],
    data: readCsvTrades(TRADES, { instrumentId: id }),
    strategy,
    balances: { ETH: '1000', XRP: '1000000' },
    fillModel: tradeFillModel(),
  });
  return { result, parent: strategy.parent! };
}

const HOUR = 3_600_000;

describe('execution algorithms on real trades', () => {
  it('TWAP sends six equal market children an hour apart, each filled at the next trade', async () => {
    const { result, parent } = await run(
      () =>
        new Twap({
          instrumentId: id,
          side: 'BUY',
          quantity: '6000',
          durationMs: 6 * HOUR,
          slices: 6,
        }),
    );
    // It begins on the second trade (the first is where the strategy starts it).
    const start = rows[1]!.timeMs;
    expect(parent.status).toBe('FILLED');
    expect(parent.filledQuantity.toString()).toBe('6000');
    expect(parent.children.map((child) => child.quantity.toString())).toEqual(
      Array(6).fill('1000'),
    );
    expect(parent.children.map((child) => child.sentTimeMs)).toEqual(
      [0, 1, 2, 3, 4, 5].map((k) => start + k * HOUR),
    );
    // A market child matches from the next trade on: the first child, sent while trade 2 was
    // handled, at trade 3; a child sent on a timer at the first trade at or after its time.
    const expectedPrices = parent.children.map((child, k) => {
      const next = k === 0 ? rows[2]! : rows.find((row) => row.timeMs >= child.sentTimeMs)!;
      return next.price;
    });
    const fills = result.fills.filter((fill) => fill.side === 'BUY');
    expect(fills.map((fill) => fill.price)).toEqual(expectedPrices.map((p) => String(Number(p))));
    // The parent's average is the quantity-weighted mean of its children's fills.
    const notional = expectedPrices.reduce((sum, price) => sum + 1000 * Number(price), 0);
    expect(parent.averageFillPrice!.toNumber()).toBeCloseTo(notional / 6000, 15);
  });

  it('Iceberg shows one display quantity at a time at its limit until the quantity is done', async () => {
    // A sell limit below the market's range fills as soon as each child meets a trade.
    const { parent } = await run(
      () =>
        new Iceberg({
          instrumentId: id,
          side: 'SELL',
          quantity: '900',
          limitPrice: '0.0014',
          displayQuantity: '300',
        }),
    );
    expect(parent.status).toBe('FILLED');
    expect(parent.children.map((child) => child.quantity.toString())).toEqual([
      '300',
      '300',
      '300',
    ]);
    // Never more than one child shown: each was sent after the previous one finished.
    for (let k = 1; k < parent.children.length; k++) {
      expect(parent.children[k]!.sentTimeMs).toBeGreaterThanOrEqual(
        parent.children[k - 1]!.sentTimeMs,
      );
    }
  });

  it('POV keeps its filled quantity at or below its share of the volume traded since it began', async () => {
    const { result, parent } = await run(
      () =>
        new Pov({
          instrumentId: id,
          side: 'BUY',
          quantity: '2000',
          participationRate: 0.1,
          minChildQuantity: '50',
        }),
    );
    expect(parent.status).toBe('FILLED');
    const start = rows[1]!.timeMs;
    // At each child's fill, what was done before it plus it may not pass 10 % of the volume of
    // the trades from the start up to the one the child was sent on.
    let done = 0;
    for (const fill of result.fills) {
      const child = parent.children.find((c) => c.clientOrderId === fill.clientOrderId)!;
      const seen = rows
        .filter((row) => row.timeMs >= start && row.timeMs <= child.sentTimeMs)
        .reduce((sum, row) => sum + row.qty, 0);
      done += Number(fill.quantity);
      expect(done).toBeLessThanOrEqual(0.1 * seen + 1e-9);
    }
    expect(done).toBe(2000);
  });
});

describe('transaction-cost analysis on real trades', () => {
  it('prices a single market buy against its arrival, interval VWAP and close, worked from the file', async () => {
    const { result, parent } = await run(
      () => new Twap({ instrumentId: id, side: 'BUY', quantity: '500', durationMs: 1, slices: 1 }),
    );
    const report = transactionCosts(
      parent,
      rows.map((row) => ({ timeMs: row.timeMs, price: Number(row.price), size: row.qty })),
      xrp,
    );
    // Started at trade 2, filled whole at trade 3's price.
    const arrival = Number(rows[1]!.price);
    const price = Number(rows[2]!.price);
    expect(report.arrivalPrice).toBe(arrival);
    expect(report.averagePrice).toBe(price);
    const fill = result.fills[0]!;
    const feeInQuote =
      fill.fee.currency === 'ETH' ? Number(fill.fee.amount) : Number(fill.fee.amount) * price;
    expect(report.fees).toBeCloseTo(feeInQuote, 15);
    expect(report.implementationShortfallBps).toBeCloseTo(
      ((price - arrival) / arrival) * 10_000 + (feeInQuote / (500 * arrival)) * 10_000,
      9,
    );
    // The interval runs from trade 2 to the fill at trade 3: the VWAP of those trades.
    const window = rows.filter(
      (row) => row.timeMs >= parent.startTimeMs! && row.timeMs <= parent.endTimeMs!,
    );
    const volume = window.reduce((sum, row) => sum + row.qty, 0);
    const vwap = window.reduce((sum, row) => sum + row.qty * Number(row.price), 0) / volume;
    expect(report.intervalVwap).toBeCloseTo(vwap, 15);
    expect(report.participation).toBeCloseTo(500 / volume, 15);
  });

  it('lists each parent in the result with the costs its end event carried, worked from the file', async () => {
    const { result, parent } = await run(
      () =>
        new Twap({
          instrumentId: id,
          side: 'BUY',
          quantity: '6000',
          durationMs: 6 * HOUR,
          slices: 6,
        }),
    );
    expect(result.executions).toHaveLength(1);
    const execution = result.executions[0]!;
    expect(execution.parentClientOrderId).toBe(parent.parentClientOrderId);
    expect(execution.status).toBe('FILLED');
    expect(execution.filledQuantity).toBe('6000');
    expect(execution.startTimeMs).toBe(rows[1]!.timeMs);
    expect(execution.endTimeMs).toBe(parent.endTimeMs);
    // The child fills, in time order, are the result's buy fills.
    const buys = result.fills.filter((fill) => fill.side === 'BUY');
    expect(execution.fills.map((fill) => fill.price)).toEqual(buys.map((f) => Number(f.price)));
    expect(execution.fills.reduce((sum, fill) => sum + fill.quantity, 0)).toBe(6000);
    // The interval is what it saw while it worked: from the trade it began on (row 2) up to
    // the trade its last child filled on, which reached the venue first and ended it.
    const window = rows.slice(1).filter((row) => row.timeMs < execution.endTimeMs);
    const volume = window.reduce((sum, row) => sum + row.qty, 0);
    const vwap = window.reduce((sum, row) => sum + row.qty * Number(row.price), 0) / volume;
    const costs = execution.costs!;
    const arrival = Number(rows[1]!.price);
    const average = buys.reduce((sum, f) => sum + Number(f.quantity) * Number(f.price), 0) / 6000;
    const fees = buys.reduce((sum, f) => sum + Number(f.fee.amount), 0);
    expect(costs.arrivalPrice).toBe(arrival);
    expect(costs.averagePrice).toBeCloseTo(average, 15);
    expect(costs.intervalVwap).toBeCloseTo(vwap, 15);
    expect(costs.closePrice).toBe(Number(window.at(-1)!.price));
    expect(costs.participation).toBeCloseTo(6000 / volume, 12);
    expect(costs.fees).toBeCloseTo(fees, 15);
    expect(costs.implementationShortfallBps).toBeCloseTo(
      ((average - arrival) / arrival) * 10_000 + (fees / (6000 * arrival)) * 10_000,
      9,
    );
    expect(costs.slippageVsVwapBps).toBeCloseTo(((average - vwap) / vwap) * 10_000, 9);
    expect(costs.estimatedImpactBps).toBeNull();
    // The chart's market path spans the parent's life.
    expect(execution.market.times[0]!).toBeLessThanOrEqual(execution.startTimeMs);
    expect(execution.market.times.at(-1)!).toBeGreaterThanOrEqual(execution.endTimeMs);
  });
});
