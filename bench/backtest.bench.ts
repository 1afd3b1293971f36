/**
 * End-to-end backtest: a long-only SMA(20/50) crossover over 1 000 000 one-minute bars through
 * the whole QTP stack (`runBacktest`: event bus, strategy, OMS, simulated exchange, portfolio,
 * analytics), through grademark (the npm backtester a user would pick instead) and through a
 * plain hand-written loop that books the same trades (the practical limit).
 *
 * The bars are a seeded random walk, so every run sees the same prices. The rules: the fast
 * average crossing above the slow one buys 1 unit, crossing below sells it; the order fills at
 * the next bar's open as a taker paying 0.1 %, and equity (cash + position at the close) is
 * marked on every bar. Before anything is timed, QTP's round trips and final equity are checked
 * against the plain loop's, and grademark's entry and exit bars against the same signals.
 *
 * A 1M-bar run takes seconds, far too long for mitata's repeated sampling, so this file times
 * each contender itself when it is imported (one warm-up run, then the best of three) and
 * prints its own table; it registers nothing with mitata. A second part streams the bars from a
 * generated CSV file through the CSV loader and reports the resident memory, which has to stay
 * flat whatever the length of the file.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BacktestResult, readCsvBars, runBacktest } from '@qtp/backtest';
import { type Bar, Instrument, instrumentId, SeededRandom } from '@qtp/core';
import { barFillModel } from '@qtp/exchange';
import {
  SMA,
  type SmaCrossoverParams,
  Strategy,
  type StrategyOptions,
  smaCrossoverSchema,
} from '@qtp/strategy';
import { DataFrame } from 'data-forge';
import { backtest as grademarkBacktest, type IBar, type IStrategy } from 'grademark';

const BARS = 1_000_000;
const FAST = 20;
const SLOW = 50;
const FEE_RATE = 0.001;
const QUANTITY = 1;
// Enough cash that no buy is ever refused, wherever the walk goes.
const START_CASH = 100_000_000;
const SEED = 20_240_101;
const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2024, 0, 1);

const id = instrumentId('BTCUSDT', 'BINANCE');
const instrument = new Instrument({
  id,
  baseAsset: 'BTC',
  quoteAsset: 'USDT',
  priceIncrement: '0.01',
  sizeIncrement: '0.00001',
  takerFee: String(FEE_RATE),
  makerFee: String(FEE_RATE),
});

// ---- data ------------------------------------------------------------------------------------

/** Returns a standard normal draw (Box-Muller), from the seeded generator. */
function normal(random: SeededRandom): number {
  const u = 1 - random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/**
 * Yields a seeded geometric random walk of one-minute bars, 0.1 % volatility per bar, on a cent
 * grid: prices are whole cents divided by 100, so each one prints as the decimal it means and
 * the exchange books it without rounding.
 */
function* randomWalk(count: number, seed: number): Generator<Bar> {
  const random = new SeededRandom(seed);
  let previousClose = 3_000_000; // 30 000.00
  for (let i = 0; i < count; i++) {
    const scale = previousClose * 0.001;
    const open = Math.max(100, previousClose + Math.round(0.2 * scale * normal(random)));
    const close = Math.max(100, open + Math.round(scale * normal(random)));
    const high = Math.max(open, close) + Math.round(0.5 * scale * Math.abs(normal(random)));
    const low = Math.max(
      1,
      Math.min(open, close) - Math.round(0.5 * scale * Math.abs(normal(random))),
    );
    const openTimeMs = START_MS + i * MINUTE_MS;
    yield {
      instrumentId: id,
      interval: '1m',
      openTimeMs,
      closeTimeMs: openTimeMs + MINUTE_MS - 1,
      open: open / 100,
      high: high / 100,
      low: low / 100,
      close: close / 100,
      volume: 1 + random.nextInt(1000) / 10,
    };
    previousClose = close;
  }
}

/** Writes the walk as a Binance-style kline CSV, without ever holding it whole. */
function writeCsv(path: string): void {
  const fd = openSync(path, 'w');
  try {
    let chunk = 'open_time,open,high,low,close,volume\n';
    for (const bar of randomWalk(BARS, SEED)) {
      chunk += `${bar.openTimeMs},${bar.open},${bar.high},${bar.low},${bar.close},${bar.volume}\n`;
      if (chunk.length > 1 << 20) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

// ---- the three backtests -----------------------------------------------------------------------

function qtpOptions(data: Iterable<Bar> | AsyncIterable<Bar>) {
  return {
    instruments: [instrument],
    data,
    strategy: {
      name: 'sma-crossover',
      id: 'sma',
      params: { instrumentId: id, fastPeriod: FAST, slowPeriod: SLOW, quantity: String(QUANTITY) },
    },
    balances: { USDT: String(START_CASH) },
    // Volume is random here, so the cap would only add partial fills the other two lack.
    fillModel: barFillModel({ volumeCap: Number.POSITIVE_INFINITY }),
  };
}

/**
 * The crossover's per-bar work without its orders: the same two averages and the same
 * comparison, on the same engine, so its time is the cost of a bar on which nothing fills.
 */
class SmaWatch extends Strategy<SmaCrossoverParams> {
  readonly #fast = this.indicator(new SMA(this.params.fastPeriod), 'close');
  readonly #slow = this.indicator(new SMA(this.params.slowPeriod), 'close');
  crossings = 0;
  #previous: number | undefined;

  constructor(options: StrategyOptions) {
    super(options, { schema: smaCrossoverSchema });
  }

  protected override onBar(): void {
    const difference = this.#fast.value! - this.#slow.value!;
    if (this.#previous !== undefined && this.#previous <= 0 !== difference <= 0) this.crossings++;
    this.#previous = difference;
  }
}

function runQtpQuiet(bars: readonly Bar[]): Promise<BacktestResult> {
  const strategy = new SmaWatch({
    id: 'watch',
    params: { instrumentId: id, fastPeriod: FAST, slowPeriod: SLOW, quantity: '1' },
  });
  return runBacktest({ ...qtpOptions(bars), strategy });
}

interface PlainTrade {
  readonly entryBar: number;
  readonly exitBar: number;
  readonly entryPrice: number;
  readonly exitPrice: number;
  readonly pnl: number;
}

interface PlainResult {
  readonly trades: PlainTrade[];
  readonly fills: number;
  readonly equity: Float64Array;
  readonly finalEquity: number;
  /** The position wanted after each bar (1 long, 0 flat), for grademark's rules. */
  readonly targets: Uint8Array;
}

/**
 * The same backtest by hand on numbers: running sums for the averages (the same additions, in
 * the same order, as QTP's streaming SMA, so the signals agree to the bit), a pending order
 * filled at the next open with the taker fee, cash, and equity marked at every close.
 */
function runPlain(bars: readonly Bar[]): PlainResult {
  const n = bars.length;
  const equity = new Float64Array(n);
  const targets = new Uint8Array(n);
  const trades: PlainTrade[] = [];
  let cash = START_CASH;
  let position = 0;
  let fastSum = 0;
  let slowSum = 0;
  let previous = Number.NaN;
  let pending = 0; // +1 buy, -1 sell at the next open
  let fills = 0;
  let entryBar = -1;
  let entryPrice = 0;
  let entryFee = 0;
  for (let i = 0; i < n; i++) {
    const bar = bars[i]!;
    if (pending !== 0) {
      const price = bar.open;
      const notional = price * QUANTITY;
      const fee = notional * FEE_RATE;
      fills++;
      if (pending > 0) {
        cash -= notional + fee;
        position += QUANTITY;
        entryBar = i;
        entryPrice = price;
        entryFee = fee;
      } else {
        cash += notional - fee;
        position -= QUANTITY;
        const pnl = (price - entryPrice) * QUANTITY - entryFee - fee;
        trades.push({ entryBar, exitBar: i, entryPrice, exitPrice: price, pnl });
      }
      pending = 0;
    }
    const close = bar.close;
    fastSum = fastSum + close - (i >= FAST ? bars[i - FAST]!.close : 0);
    slowSum = slowSum + close - (i >= SLOW ? bars[i - SLOW]!.close : 0);
    if (i >= SLOW - 1) {
      const difference = fastSum / FAST - slowSum / SLOW;
      if (previous <= 0 && difference > 0 && position === 0) pending = 1;
      else if (previous >= 0 && difference < 0 && position > 0) pending = -1;
      previous = difference;
    }
    targets[i] = pending > 0 || (pending === 0 && position > 0) ? 1 : 0;
    equity[i] = cash + position * close;
  }
  return { trades, fills, equity, finalEquity: equity[n - 1]!, targets };
}

interface GrademarkBar extends IBar {
  target: number;
}

/**
 * The same rules in grademark. Its bars are data-forge rows with a `Date`; the averages and the
 * crossing state are computed in `prepIndicators` with the plain loop's running sums (the point
 * is grademark's backtest loop, not data-forge's rolling windows, which would dominate), and the
 * rules read them: enter when the crossing state is long, exit when it is flat. grademark has no
 * fees, sizing or cash: it reports per-unit price moves.
 */
function runGrademark(bars: readonly Bar[], targets: Uint8Array) {
  const rows: IBar[] = bars.map((bar) => ({
    time: new Date(bar.openTimeMs),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
  }));
  const strategy: IStrategy<IBar, GrademarkBar> = {
    prepIndicators: ({ inputSeries }) =>
      inputSeries.select((bar, index) => ({ ...bar, target: targets[index]! })),
    entryRule: (enter, { bar }) => {
      if (bar.target === 1) enter();
    },
    exitRule: (exit, { bar }) => {
      if (bar.target === 0) exit();
    },
  };
  return grademarkBacktest(strategy, new DataFrame(rows));
}

// ---- checks ------------------------------------------------------------------------------------

const barOfTime = (timeMs: number) => (timeMs - START_MS) / MINUTE_MS;

function closeTo(a: number, b: number, relative: number): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}

/** Throws unless QTP booked the plain loop's round trips and ends on its equity. */
function checkQtp(result: BacktestResult, plain: PlainResult): void {
  if (result.fills.length !== plain.fills || result.trades.length !== plain.trades.length) {
    throw new Error(
      `QTP booked ${result.fills.length} fills and ${result.trades.length} round trips, ` +
        `the plain loop ${plain.fills} and ${plain.trades.length}`,
    );
  }
  result.trades.forEach((trade, k) => {
    const expected = plain.trades[k]!;
    // A fill at a bar's open is stamped with that bar's open time.
    const entryBar = barOfTime(trade.entryTimeMs);
    const exitBar = barOfTime(trade.exitTimeMs);
    if (
      entryBar !== expected.entryBar ||
      exitBar !== expected.exitBar ||
      Number(trade.entryPrice) !== expected.entryPrice ||
      Number(trade.exitPrice) !== expected.exitPrice ||
      !closeTo(Number(trade.pnl), expected.pnl, 1e-9)
    ) {
      throw new Error(
        `round trip ${k} differs: ${JSON.stringify(trade)} ${JSON.stringify(expected)}`,
      );
    }
  });
  // QTP's final equity is an exact decimal; the plain loop's carries binary rounding.
  if (!closeTo(Number(result.finalEquity), plain.finalEquity, 1e-12)) {
    throw new Error(`final equity differs: QTP ${result.finalEquity}, plain ${plain.finalEquity}`);
  }
  const curve = result.equityCurve.values;
  if (curve.length !== plain.equity.length || !closeTo(curve.at(-1)!, plain.finalEquity, 1e-12)) {
    throw new Error('the equity curves differ');
  }
}

/**
 * Returns the round trips grademark must produce from the same crossing state, by its own
 * rules: a rule runs only on bars where it is flat or holding, never on the bar it enters or
 * exits at the open, so a crossing that lands on that bar is acted on one bar later.
 */
function expectedGrademarkTrades(targets: Uint8Array): { entry: number; exit: number }[] {
  const trades: { entry: number; exit: number }[] = [];
  let state: 'flat' | 'enter' | 'long' | 'exit' = 'flat';
  let entry = -1;
  for (let i = 0; i < targets.length; i++) {
    if (state === 'flat') {
      if (targets[i] === 1) state = 'enter';
    } else if (state === 'enter') {
      entry = i;
      state = 'long';
    } else if (state === 'long') {
      if (targets[i] === 0) state = 'exit';
    } else {
      trades.push({ entry, exit: i });
      state = 'flat';
    }
  }
  return trades;
}

interface GrademarkCheck {
  readonly trades: number;
  readonly sameAsQtp: number;
}

/** Throws unless grademark traded the bars its rules imply; counts the round trips QTP shares. */
function checkGrademark(
  trades: ReturnType<typeof runGrademark>,
  targets: Uint8Array,
  plain: PlainResult,
): GrademarkCheck {
  // grademark closes a position still open at the end at the last close; QTP keeps holding it.
  const closed = trades.filter((trade) => trade.exitReason !== 'finalize');
  const expected = expectedGrademarkTrades(targets);
  const bars = closed.map((trade) => ({
    entry: barOfTime(trade.entryTime.getTime()),
    exit: barOfTime(trade.exitTime.getTime()),
  }));
  if (JSON.stringify(bars) !== JSON.stringify(expected)) {
    throw new Error(
      `grademark traded other bars: ${closed.length} round trips, ${expected.length} expected`,
    );
  }
  const qtpKeys = new Set(plain.trades.map((trade) => `${trade.entryBar}:${trade.exitBar}`));
  const sameAsQtp = bars.filter((trade) => qtpKeys.has(`${trade.entry}:${trade.exit}`)).length;
  return { trades: closed.length, sameAsQtp };
}

// ---- timing ------------------------------------------------------------------------------------

/** Runs `task` once to warm up, then three times, and returns the best time in ms. */
async function bestOf3(task: () => unknown): Promise<number> {
  await task();
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    await task();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const rss = () => process.memoryUsage().rss;
const format = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Resident memory seen while a stream was read: its peak, and its level at each quarter. */
interface MemoryTrace {
  peak: number;
  readonly quarters: number[];
}

/**
 * Passes a stream of `BARS` items through, sampling the resident memory every 16 384 items for
 * its peak and at each quarter of the stream, so growth with the length of the data shows.
 */
async function* traced<T>(source: AsyncIterable<T>, trace: MemoryTrace): AsyncGenerator<T> {
  let count = 0;
  for await (const item of source) {
    count++;
    if ((count & 16_383) === 0) trace.peak = Math.max(trace.peak, rss());
    if (count % (BARS / 4) === 0) trace.quarters.push(rss());
    yield item;
  }
  trace.peak = Math.max(trace.peak, rss());
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((title, c) =>
    Math.max(title.length, ...rows.map((row) => row[c]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ');
  return [line(head), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join(
    '\n',
  );
}

// ---- the run -----------------------------------------------------------------------------------

console.log(
  `\nbacktest: SMA(${FAST}/${SLOW}) long-only crossover, ${format(BARS)} one-minute bars of a ` +
    `seeded random walk (seed ${SEED}, 0.1 % volatility per bar), 1 unit per trade, ` +
    `fills at the next bar's open, ${FEE_RATE * 100} % taker fee`,
);

// Memory first, before the in-memory bars exist, so the baseline is the bare process.
const folder = await mkdtemp(join(tmpdir(), 'qtp-bench-backtest-'));
let streamed: BacktestResult;
let memoryRows: string[][];
try {
  const csv = join(folder, 'walk-1m.csv');
  writeCsv(csv);
  const csvOptions = { instrumentId: id, interval: '1m' as const };
  const loaderBase = rss();
  const loader: MemoryTrace = { peak: loaderBase, quarters: [] };
  let loaded = 0;
  for await (const _bar of traced(readCsvBars(csv, csvOptions), loader)) loaded++;
  const backtestBase = rss();
  const backtest: MemoryTrace = { peak: backtestBase, quarters: [] };
  streamed = await runBacktest(qtpOptions(traced(readCsvBars(csv, csvOptions), backtest)));
  if (loaded !== BARS || streamed.events !== BARS) throw new Error('the CSV lost bars');
  const row = (name: string, base: number, trace: MemoryTrace) => [
    name,
    mb(base),
    trace.quarters.map((bytes) => (bytes / 2 ** 20).toFixed(0)).join(' / '),
    mb(trace.peak),
    mb(trace.peak - base),
  ];
  memoryRows = [
    ['CSV file on disk', mb(statSync(csv).size), '', '', ''],
    row('readCsvBars alone (for await)', loaderBase, loader),
    row('runBacktest streaming the CSV', backtestBase, backtest),
  ];
} finally {
  await rm(folder, { recursive: true, force: true });
}

const bars = [...randomWalk(BARS, SEED)];

// Check before timing: QTP (in memory and streamed from the CSV) against the plain loop, and
// grademark's round trips against the bars its rules imply from the same signals.
const plain = runPlain(bars);
const qtp = await runBacktest(qtpOptions(bars));
checkQtp(qtp, plain);
checkQtp(streamed, plain);
const quiet = await runQtpQuiet(bars);
if (quiet.fills.length !== 0) throw new Error('the quiet run filled orders');
const grademark = checkGrademark(runGrademark(bars, plain.targets), plain.targets, plain);

const fills = qtp.fills.length;
const timeQtp = await bestOf3(() => runBacktest(qtpOptions(bars)));
const timeQuiet = await bestOf3(() => runQtpQuiet(bars));
const timeGrademark = await bestOf3(() => runGrademark(bars, plain.targets));
const timePlain = await bestOf3(() => runPlain(bars));
const peakRssKiB = process.resourceUsage().maxRSS;

const nsPerBar = (ms: number) => (ms * 1e6) / BARS;
const microsPerFill = ((timeQtp - timeQuiet) * 1e3) / fills;
console.log(
  `checked: QTP's ${format(qtp.trades.length)} round trips (${format(fills)} fills) and final ` +
    `equity ${qtp.finalEquity} USDT equal the plain loop's, in memory and streamed from CSV.`,
);
console.log(
  `checked: grademark's ${format(grademark.trades)} round trips enter and exit on the bars its ` +
    `rules imply (entry and exit bars only: it has no fees, sizing or cash); ` +
    `${format(grademark.sameAsQtp)} are QTP's exactly, the others act one bar later because ` +
    `grademark runs no rule on the bar it fills on.\n`,
);
console.log(
  table(
    [
      `${format(BARS)} bars, best of 3 after a warm-up`,
      'total',
      'ns / bar',
      'vs plain loop',
      'vs QTP',
    ],
    [
      [
        'QTP runBacktest (SMA crossover)',
        `${format(timeQtp)} ms`,
        format(nsPerBar(timeQtp)),
        `${format(timeQtp / timePlain, 1)}x`,
        '1.0x',
      ],
      [
        'QTP runBacktest, no orders (nothing fills)',
        `${format(timeQuiet)} ms`,
        format(nsPerBar(timeQuiet)),
        `${format(timeQuiet / timePlain, 1)}x`,
        `${format(timeQuiet / timeQtp, 2)}x`,
      ],
      [
        'grademark backtest (DataFrame included)',
        `${format(timeGrademark)} ms`,
        format(nsPerBar(timeGrademark)),
        `${format(timeGrademark / timePlain, 1)}x`,
        `${format(timeGrademark / timeQtp, 2)}x`,
      ],
      [
        'plain loop (numbers)',
        `${format(timePlain)} ms`,
        format(nsPerBar(timePlain), 1),
        '1.0x',
        `${format(timePlain / timeQtp, 3)}x`,
      ],
    ],
  ),
);
console.log(
  `\nQTP per fill, end to end: ${format(microsPerFill, 1)} µs ` +
    `((crossover run - no-order run) / ${format(fills)} fills)`,
);
console.log(
  `\nmemory (resident set size), streaming the same ${format(BARS)} bars from a CSV file:\n`,
);
console.log(table(['', 'before', 'MB at 25/50/75/100 %', 'peak', 'growth'], memoryRows));
console.log(
  `(runBacktest keeps one equity point per bar: ${mb(BARS * 16)} of its growth is the curve; ` +
    'the loader itself holds one 64 KiB chunk)',
);

// maxRSS is in kibibytes and is the peak of the whole process, which by now has held the
// 1M bars in memory and run every backtest over them.
console.log(
  `\npeak resident set size of the process after the 1M-bar runs: ${mb(peakRssKiB * 1024)}`,
);

const targets: [string, boolean, string][] = [
  [
    '<= 100 ns per bar where nothing fills',
    nsPerBar(timeQuiet) <= 100,
    `${format(nsPerBar(timeQuiet))} ns`,
  ],
  ['<= 5 µs per fill end to end', microsPerFill <= 5, `${format(microsPerFill, 1)} µs`],
  [
    '>= 10x faster than grademark in total',
    timeGrademark / timeQtp >= 10,
    `${format(timeGrademark / timeQtp, 2)}x`,
  ],
];
console.log('\ntargets:');
for (const [target, met, value] of targets) {
  console.log(`  ${met ? 'met    ' : 'NOT met'}  ${value}  (target ${target})`);
}
console.log('');
