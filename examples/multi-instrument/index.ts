// A strategy over several instruments: every hour, hold the one of four BTC-quoted pairs that
// rose most over the last day, or nothing when none rose. The pairs' real Binance five-minute
// bars are merged into one stream in the order they closed, so no decision sees a bar early.
import { fileURLToPath } from 'node:url';
import { mergeByTime, readCsvBars, runBacktest } from '@qtp/backtest';
import {
  type Bar,
  Instrument,
  type InstrumentId,
  instrumentId,
  parseInstrumentId,
} from '@qtp/core';
import { ROC, Strategy, type StrategyOptions } from '@qtp/strategy';
import { z } from 'zod';

const HOUR_MS = 3_600_000;
const FIVE_MINUTES_MS = 300_000;

const schema = z.strictObject({
  instrumentIds: z.array(z.string().transform((text) => parseInstrumentId(text))).min(2),
  lookbackBars: z.int().min(1).default(288),
  // The BTC to put into the pair held, a decimal string: booked money never goes through a float.
  notional: z.string().regex(/^\d+(\.\d+)?$/),
});
type RotationParams = z.output<typeof schema>;

class MomentumRotation extends Strategy<RotationParams> {
  readonly #momentum = new Map<InstrumentId, ROC>();

  constructor(options: StrategyOptions) {
    super(options, { schema });
    for (const id of this.params.instrumentIds) {
      const roc = this.indicator(new ROC(this.params.lookbackBars), (bar) => [bar.close], {
        instrumentId: id,
      });
      this.#momentum.set(id, roc);
    }
  }

  protected override onBar(bar: Bar): void {
    // Bars of one close time arrive one instrument after another, in id order; deciding on the
    // last one's bar means every pair's momentum is up to date.
    const ids = this.params.instrumentIds;
    if (bar.instrumentId !== ids.at(-1)) return;
    if ((bar.openTimeMs + FIVE_MINUTES_MS) % HOUR_MS !== 0) return;
    let best: InstrumentId | undefined;
    let bestRoc = 0;
    for (const [id, roc] of this.#momentum) {
      if (roc.value !== undefined && roc.value > bestRoc) {
        best = id;
        bestRoc = roc.value;
      }
    }
    for (const id of ids) {
      if (id !== best) this.targetPosition(id, '0');
    }
    // Hold on to the leader rather than resizing it every hour, which would only pay fees.
    if (best === undefined || this.position(best).gt(0)) return;
    const close = this.lastBar(best)!.close;
    this.targetPosition(best, this.quantity(best, Number(this.params.notional) / close));
  }
}

const pairs = [
  { symbol: 'DASHBTC', base: 'DASH', step: '0.001' },
  { symbol: 'LTCBTC', base: 'LTC', step: '0.01' },
  { symbol: 'XLMBTC', base: 'XLM', step: '1' },
  { symbol: 'ZECBTC', base: 'ZEC', step: '0.001' },
];
const instruments = pairs.map(
  ({ symbol, base, step }) =>
    new Instrument({
      id: instrumentId(symbol, 'BINANCE'),
      baseAsset: base,
      quoteAsset: 'BTC',
      priceIncrement: '0.00000001',
      sizeIncrement: step,
      minNotional: '0.001',
      takerFee: '0.001',
      makerFee: '0.001',
    }),
);
const ids = instruments.map((instrument) => instrument.id);
const streams = instruments.map((instrument) =>
  readCsvBars(fileURLToPath(new URL(`../data/${instrument.symbol}-5m.csv`, import.meta.url)), {
    instrumentId: instrument.id,
    interval: '5m',
  }),
);

const result = await runBacktest({
  instruments,
  data: mergeByTime(streams),
  strategy: new MomentumRotation({
    id: 'rotation',
    params: { instrumentIds: ids, lookbackBars: 288, notional: '0.5' },
  }),
  balances: { BTC: '1' },
});

const percent = (value: number | null) =>
  value === null ? 'n/a' : `${(value * 100).toFixed(2)} %`;
console.log('Momentum rotation over DASH, LTC, XLM and ZEC against BTC: every hour, 0.5 BTC into');
console.log('the pair that rose most over the last day (nothing when none rose)\n');
console.log(`  bars merged        ${result.events.toLocaleString('en-US')} from 4 files`);
console.log(`  final equity       ${Number(result.finalEquity).toFixed(6)} BTC (from 1 BTC)`);
console.log(`  total return       ${percent(result.performance.totalReturn)}`);
console.log(`  max drawdown       ${percent(result.performance.maxDrawdown)}`);
console.log(`  time in market     ${percent(result.performance.exposureTime)}\n`);
console.log('  pair             round trips   P&L (BTC, net of fees)');
for (const id of ids) {
  const trades = result.trades.filter((trade) => trade.instrumentId === id);
  const pnl = trades.reduce((sum, trade) => sum + trade.pnlInReportingCurrency, 0);
  console.log(
    `  ${id.padEnd(16)} ${String(trades.length).padStart(11)}   ${pnl.toFixed(6).padStart(10)}`,
  );
}
const open = result.positions.filter((position) => position.quantity !== '0');
for (const position of open)
  console.log(`  still holding ${position.quantity} of ${position.instrumentId}`);
