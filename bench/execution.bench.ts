/**
 * Child-order scheduling: 1,000 concurrent parent orders (TWAP and POV) each hear one trade
 * tick, against a plain loop doing the least the same schedule needs (a number target per
 * parent compared with what is done). The algorithms run against a context that only counts
 * the children they send, so the figure is the scheduling cost per tick, not the OMS's. Time per
 * iteration / 1,000 = the cost per parent per tick.
 *
 * First it prints the implementation shortfall of TWAP, VWAP and POV against a single market
 * order, each buying 3,000 XRP through runBacktest on the bundled Binance XRP/ETH trades with
 * takers capped by each trade's size, from each parent's `execution.ended` costs, with the
 * square-root impact estimate (parameters calibrated from the same days' 5-minute bars) beside.
 */

import { fileURLToPath } from 'node:url';
import { readCsvBars, readCsvTrades, runBacktest } from '@qtp/backtest';
import {
  type Bar,
  type ClientOrderId,
  createTradeTickEvent,
  type ExecutionAlgorithm,
  Instrument,
  instrumentId,
  type TradeTickEvent,
  toClientOrderId,
} from '@qtp/core';
import { calibrateImpact, tradeFillModel } from '@qtp/exchange';
import { Pov, Twap, Vwap, volumeProfile } from '@qtp/oms';
import { Strategy } from '@qtp/strategy';
import { bench, do_not_optimize, group, summary } from 'mitata';
import { z } from 'zod';

const PARENTS = 1_000;
const id = instrumentId('XRPETH', 'BINANCE');
const instrument = new Instrument({
  id,
  baseAsset: 'XRP',
  quoteAsset: 'ETH',
  priceIncrement: '0.00000001',
  sizeIncrement: '1',
});
const START = 1_700_000_000_000;

await printShortfallTable();

async function printShortfallTable(): Promise<void> {
  const file = (name: string) =>
    fileURLToPath(new URL(`../examples/data/${name}`, import.meta.url));
  const xrp = new Instrument({
    id,
    baseAsset: 'XRP',
    quoteAsset: 'ETH',
    priceIncrement: '0.00000001',
    sizeIncrement: '1',
    takerFee: '0.001',
    makerFee: '0.001',
  });
  const bars: Bar[] = [];
  for await (const bar of readCsvBars(file('XRPETH-5m.csv'), { instrumentId: id })) bars.push(bar);
  const impact = calibrateImpact(bars);
  const hour = 3_600_000;
  const common = { instrumentId: id, side: 'BUY', quantity: '3000' } as const;
  const contenders: [string, () => ExecutionAlgorithm][] = [
    ['market order', () => new Twap({ ...common, durationMs: 1, slices: 1 })],
    ['TWAP 6h / 12', () => new Twap({ ...common, durationMs: 6 * hour, slices: 12 })],
    [
      'VWAP 6h',
      () =>
        new Vwap({
          ...common,
          durationMs: 6 * hour,
          profile: volumeProfile(bars, { bucketMs: hour }),
          minChildQuantity: '100',
        }),
    ],
    ['POV 10 %', () => new Pov({ ...common, participationRate: 0.1, minChildQuantity: '100' })],
  ];
  class ExecuteOnce extends Strategy {
    #started = false;
    constructor(private readonly make: () => ExecutionAlgorithm) {
      super({ id: 'exec' }, { schema: z.object({}) });
    }
    protected override onTradeTick(): void {
      if (this.#started) return;
      this.#started = true;
      this.execute(this.make());
    }
  }
  const rows: string[][] = [];
  for (const [label, make] of contenders) {
    const result = await runBacktest({
      instruments: [xrp],
      data: readCsvTrades(file('XRPETH-trades.csv'), { instrumentId: id }),
      strategy: new ExecuteOnce(make),
      balances: { ETH: '100' },
      fillModel: tradeFillModel({ takerVolume: 'traded' }),
      impact,
    });
    const execution = result.executions[0]!;
    const costs = execution.costs!;
    rows.push([
      label,
      String(new Set(execution.fills.map((fill) => fill.timeMs)).size),
      execution.filledQuantity,
      costs.averagePrice.toFixed(8),
      costs.implementationShortfallBps.toFixed(1),
      costs.slippageVsVwapBps.toFixed(1),
      costs.slippageVsCloseBps.toFixed(1),
      (costs.estimatedImpactBps ?? Number.NaN).toFixed(1),
    ]);
  }
  const head = [
    'algorithm',
    'fill times',
    'filled',
    'avg price',
    'IS bps',
    'vs VWAP',
    'vs close',
    'impact est.',
  ];
  const widths = head.map((title, c) =>
    Math.max(title.length, ...rows.map((row) => row[c]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  console.log(
    'Implementation shortfall, buying 3,000 XRP on the bundled XRP/ETH trades (bps, fees included)',
  );
  console.log(line(head));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
}

let sent = 0;
let now = START;
const context = {
  instrument,
  now: () => now,
  submitChild: (): ClientOrderId => toClientOrderId(`c${++sent}`),
  cancelChild: () => {},
  wakeAt: () => {},
};

const twaps = Array.from({ length: PARENTS }, (_, i) => {
  const twap = new Twap({
    instrumentId: id,
    side: 'BUY',
    quantity: '1000000',
    durationMs: 86_400_000,
    slices: 1_440,
  });
  twap.start(context, `twap-${i}`);
  return twap;
});
const povs = Array.from({ length: PARENTS }, (_, i) => {
  const pov = new Pov({
    instrumentId: id,
    side: 'BUY',
    quantity: '1000000000',
    participationRate: 0.05,
  });
  pov.start(context, `pov-${i}`);
  return pov;
});

let tick = 0;
function nextTick(): TradeTickEvent {
  tick++;
  now = START + tick * 1_000;
  return createTradeTickEvent({
    instrumentId: id,
    price: 0.0014,
    size: 25,
    aggressorSide: 'SELL',
    tradeId: String(tick),
    timeMs: now,
  });
}

// The plain loop's state: per parent, the quantity due by now and what is sent.
const plainSent = new Float64Array(PARENTS);
const plainVolume = new Float64Array(PARENTS);

summary(() => {
  group(`child scheduling per tick, ${PARENTS} concurrent parents`, () => {
    bench('QTP Twap.onMarketData × 1,000', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) twaps[i]!.onMarketData(event);
    });
    bench('QTP Pov.onMarketData × 1,000', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) povs[i]!.onMarketData(event);
    });
    bench('plain loop (numbers)', () => {
      const event = nextTick();
      for (let i = 0; i < PARENTS; i++) {
        plainVolume[i]! += event.trade.size;
        const due = 0.05 * plainVolume[i]!;
        if (due - plainSent[i]! >= 1) plainSent[i] = Math.floor(due);
      }
      do_not_optimize(plainSent);
    });
  });
});
