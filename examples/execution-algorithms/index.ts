// Buys 3,000 XRP with ETH on Binance's real XRP/ETH trades of October 2019 five ways: one market
// order, TWAP, VWAP, POV and an iceberg, each run by a strategy through runBacktest, and prints
// the transaction costs of each parent order. Run it with `pnpm example execution-algorithms`.
import { fileURLToPath } from 'node:url';
import { readCsvBars, readCsvTrades, runBacktest } from '@qtp/backtest';
import { type ExecutionAlgorithm, Instrument, instrumentId, type ParentOrderView } from '@qtp/core';
import { tradeFillModel } from '@qtp/exchange';
import { Iceberg, Pov, Twap, transactionCosts, Vwap, volumeProfile } from '@qtp/oms';
import { Strategy } from '@qtp/strategy';
import { z } from 'zod';

const data = (name: string) => fileURLToPath(new URL(`../data/${name}`, import.meta.url));
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
const HOUR = 3_600_000;
const QUANTITY = '3000';

// The profile comes from the same days' five-minute bars, to keep the example to the bundled
// files; a real run builds it from earlier history.
const bars = [];
for await (const bar of readCsvBars(data('XRPETH-5m.csv'), { instrumentId: id })) bars.push(bar);
const profile = volumeProfile(bars, { bucketMs: HOUR });

/** Starts one execution algorithm on the first trade it hears. */
class Execute extends Strategy {
  parent: ParentOrderView | undefined;
  constructor(private readonly make: () => ExecutionAlgorithm) {
    super({ id: 'exec' }, { schema: z.object({}) });
  }
  protected override onTradeTick(): void {
    this.parent ??= this.execute(this.make());
  }
}

const common = { instrumentId: id, side: 'BUY', quantity: QUANTITY } as const;
const contenders: [string, () => ExecutionAlgorithm][] = [
  ['market order', () => new Twap({ ...common, durationMs: 1, slices: 1 })],
  ['TWAP 6h / 12', () => new Twap({ ...common, durationMs: 6 * HOUR, slices: 12 })],
  [
    'VWAP 6h',
    () => new Vwap({ ...common, durationMs: 6 * HOUR, profile, minChildQuantity: '100' }),
  ],
  ['POV 10 %', () => new Pov({ ...common, participationRate: 0.1, minChildQuantity: '100' })],
  ['Iceberg 500', () => new Iceberg({ ...common, limitPrice: '0.00143', displayQuantity: '500' })],
];

const trades = [];
for await (const trade of readCsvTrades(data('XRPETH-trades.csv'), { instrumentId: id })) {
  trades.push({ timeMs: trade.timeMs, price: trade.price, size: trade.size });
}

console.log(`Buying ${QUANTITY} XRP on Binance XRP/ETH trades, ${trades.length} of them\n`);
const head = [
  'algorithm',
  'children',
  'filled',
  'avg price',
  'IS bps',
  'vs VWAP',
  'vs close',
  'particip.',
];
const lines: string[][] = [];
for (const [label, make] of contenders) {
  const strategy = new Execute(make);
  await runBacktest({
    instruments: [xrp],
    data: readCsvTrades(data('XRPETH-trades.csv'), { instrumentId: id }),
    strategy,
    balances: { ETH: '100' },
    fillModel: tradeFillModel(),
  });
  const parent = strategy.parent!;
  const report = transactionCosts(parent, trades, xrp);
  lines.push([
    label,
    String(parent.children.length),
    parent.filledQuantity.toString(),
    report.averagePrice.toFixed(8),
    report.implementationShortfallBps.toFixed(1),
    report.slippageVsVwapBps.toFixed(1),
    report.slippageVsCloseBps.toFixed(1),
    `${(report.participation * 100).toFixed(1)} %`,
  ]);
}
const widths = head.map((title, c) =>
  Math.max(title.length, ...lines.map((line) => line[c]!.length)),
);
const format = (cells: string[]) =>
  cells
    .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
    .join('  ');
console.log(format(head));
console.log(widths.map((width) => '-'.repeat(width)).join('  '));
for (const line of lines) console.log(format(line));
console.log(
  '\nIS: implementation shortfall against the arrival price, fees included; costs are positive when they hurt.',
);
