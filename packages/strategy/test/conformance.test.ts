import {
  ADX,
  ATR,
  adx,
  atr,
  BollingerBands,
  bollinger,
  CCI,
  CMF,
  cci,
  cmf,
  DEMA,
  Donchian,
  dema,
  donchian,
  EMA,
  ema,
  type Indicator,
  Keltner,
  keltner,
  MACD,
  MFI,
  macd,
  mfi,
  OBV,
  obv,
  ROC,
  RollingMax,
  RollingMin,
  RSI,
  roc,
  rollingMax,
  rollingMin,
  rsi,
  SessionVWAP,
  SMA,
  StdDev,
  Stochastic,
  sessionVwap,
  sma,
  stdDev,
  stochastic,
  TEMA,
  tema,
  VWAP,
  vwap,
  WilliamsR,
  WMA,
  williamsR,
  wma,
  ZScore,
  zScore,
} from '@qtp/strategy';
import { afterAll, describe, expect, it } from 'vitest';
import { type Bars, loadBars, loadReference } from './bars.js';

const TOLERANCE = 1e-9;
// Values within a thousandth of the series' largest magnitude of zero (a MACD or z-score that
// crosses zero, a %D of flat %K values) are what is left after cancellation, where both sides
// carry rounding of the operands' size; they are compared relative to that floor instead.
const FLOOR = 1e-3;
const worstErrors = new Map<string, number>();

type Outputs = Record<string, Float64Array>;

interface Case {
  /** What the test names. */
  title: string;
  /** Batch outputs keyed by reference series name. */
  batch(bars: Bars): Outputs;
  /** A fresh streaming indicator. */
  create(): Indicator<number[], unknown>;
  /** One bar's inputs, in update order. */
  inputs(bars: Bars, i: number): number[];
  /** The streaming value's outputs keyed by reference series name. */
  read(value: unknown): Record<string, number>;
}

const single = (key: string) => (value: unknown) => ({ [key]: value as number });
const hlc = (b: Bars, i: number) => [b.high[i]!, b.low[i]!, b.close[i]!];
const hlcv = (b: Bars, i: number) => [b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!];
const closeOnly = (b: Bars, i: number) => [b.close[i]!];
const asIndicator = (indicator: object) => indicator as Indicator<number[], unknown>;
const bands = (prefix: string) => (value: unknown) => {
  const v = value as { upper: number; middle: number; lower: number };
  return {
    [`${prefix}Upper`]: v.upper,
    [`${prefix}Middle`]: v.middle,
    [`${prefix}Lower`]: v.lower,
  };
};

const cases: Case[] = [
  {
    title: 'SMA(20) matches TTR SMA',
    batch: (b) => ({ sma: sma(b.close, 20) }),
    create: () => asIndicator(new SMA(20)),
    inputs: closeOnly,
    read: single('sma'),
  },
  {
    title: 'EMA(20) matches TTR EMA',
    batch: (b) => ({ ema: ema(b.close, 20) }),
    create: () => asIndicator(new EMA(20)),
    inputs: closeOnly,
    read: single('ema'),
  },
  {
    title: 'WMA(20) matches TTR WMA',
    batch: (b) => ({ wma: wma(b.close, 20) }),
    create: () => asIndicator(new WMA(20)),
    inputs: closeOnly,
    read: single('wma'),
  },
  {
    title: 'DEMA(20) matches TTR DEMA',
    batch: (b) => ({ dema: dema(b.close, 20) }),
    create: () => asIndicator(new DEMA(20)),
    inputs: closeOnly,
    read: single('dema'),
  },
  {
    title: 'TEMA(10) matches three TTR EMAs composed',
    batch: (b) => ({ tema: tema(b.close, 10) }),
    create: () => asIndicator(new TEMA(10)),
    inputs: closeOnly,
    read: single('tema'),
  },
  {
    title: 'RSI(14) matches TTR RSI (Wilder)',
    batch: (b) => ({ rsi: rsi(b.close, 14) }),
    create: () => asIndicator(new RSI(14)),
    inputs: closeOnly,
    read: single('rsi'),
  },
  {
    title: 'MACD(12, 26, 9) matches TTR MACD with percent = FALSE',
    batch: (b) => {
      const r = macd(b.close, 12, 26, 9);
      return { macd: r.macd, macdSignal: r.signal, macdHistogram: r.histogram };
    },
    create: () => asIndicator(new MACD(12, 26, 9)),
    inputs: closeOnly,
    read: (value) => {
      const v = value as { macd: number; signal: number; histogram: number };
      return { macd: v.macd, macdSignal: v.signal, macdHistogram: v.histogram };
    },
  },
  {
    title: 'Bollinger(20, 2) matches TTR BBands',
    batch: (b) => {
      const r = bollinger(b.close, 20, 2);
      return { bollingerUpper: r.upper, bollingerMiddle: r.middle, bollingerLower: r.lower };
    },
    create: () => asIndicator(new BollingerBands(20, 2)),
    inputs: closeOnly,
    read: bands('bollinger'),
  },
  {
    title: 'ATR(14) matches TTR ATR',
    batch: (b) => ({ atr: atr(b.high, b.low, b.close, 14) }),
    create: () => asIndicator(new ATR(14)),
    inputs: hlc,
    read: single('atr'),
  },
  {
    title: 'ADX(14) matches TTR ADX',
    batch: (b) => {
      const r = adx(b.high, b.low, b.close, 14);
      return { adx: r.adx, plusDi: r.plusDi, minusDi: r.minusDi };
    },
    create: () => asIndicator(new ADX(14)),
    inputs: hlc,
    read: (value) => {
      const v = value as { adx: number; plusDi: number; minusDi: number };
      return { adx: v.adx, plusDi: v.plusDi, minusDi: v.minusDi };
    },
  },
  {
    title: 'CCI(20) matches TTR CCI',
    batch: (b) => ({ cci: cci(b.high, b.low, b.close, 20) }),
    create: () => asIndicator(new CCI(20)),
    inputs: hlc,
    read: single('cci'),
  },
  {
    title: 'ROC(10) matches 100 times TTR ROC discrete',
    batch: (b) => ({ roc: roc(b.close, 10) }),
    create: () => asIndicator(new ROC(10)),
    inputs: closeOnly,
    read: single('roc'),
  },
  {
    title: 'OBV matches TTR OBV',
    batch: (b) => ({ obv: obv(b.close, b.volume) }),
    create: () => asIndicator(new OBV()),
    inputs: (b, i) => [b.close[i]!, b.volume[i]!],
    read: single('obv'),
  },
  {
    title: 'Stochastic(14, 3) matches 100 times TTR stoch fastK and fastD',
    batch: (b) => {
      const r = stochastic(b.high, b.low, b.close, 14, 3);
      return { stochasticK: r.k, stochasticD: r.d };
    },
    create: () => asIndicator(new Stochastic(14, 3)),
    inputs: hlc,
    read: (value) => {
      const v = value as { k: number; d: number };
      return { stochasticK: v.k, stochasticD: v.d };
    },
  },
  {
    title: 'Williams %R(14) matches -100 times TTR WPR',
    batch: (b) => ({ williamsR: williamsR(b.high, b.low, b.close, 14) }),
    create: () => asIndicator(new WilliamsR(14)),
    inputs: hlc,
    read: single('williamsR'),
  },
  {
    title: 'Donchian(20) matches TTR DonchianChannel',
    batch: (b) => {
      const r = donchian(b.high, b.low, 20);
      return { donchianUpper: r.upper, donchianMiddle: r.middle, donchianLower: r.lower };
    },
    create: () => asIndicator(new Donchian(20)),
    inputs: (b, i) => [b.high[i]!, b.low[i]!],
    read: bands('donchian'),
  },
  {
    title: 'Keltner(20, 2, 10) matches TTR EMA and ATR composed',
    batch: (b) => {
      const r = keltner(b.high, b.low, b.close, 20, 2, 10);
      return { keltnerUpper: r.upper, keltnerMiddle: r.middle, keltnerLower: r.lower };
    },
    create: () => asIndicator(new Keltner(20, 2, 10)),
    inputs: hlc,
    read: bands('keltner'),
  },
  {
    title: 'MFI(14) matches TTR MFI',
    batch: (b) => ({ mfi: mfi(b.high, b.low, b.close, b.volume, 14) }),
    create: () => asIndicator(new MFI(14)),
    inputs: hlcv,
    read: single('mfi'),
  },
  {
    title: 'CMF(20) matches TTR CMF',
    batch: (b) => ({ cmf: cmf(b.high, b.low, b.close, b.volume, 20) }),
    create: () => asIndicator(new CMF(20)),
    inputs: hlcv,
    read: single('cmf'),
  },
  {
    title: 'rolling VWAP(20) matches TTR VWAP',
    batch: (b) => ({ vwap: vwap(b.close, b.volume, 20) }),
    create: () => asIndicator(new VWAP(20)),
    inputs: (b, i) => [b.close[i]!, b.volume[i]!],
    read: single('vwap'),
  },
  {
    title: 'session VWAP matches cumulative sums per UTC day in R',
    batch: (b) => ({ sessionVwap: sessionVwap(b.time, b.close, b.volume) }),
    create: () => asIndicator(new SessionVWAP()),
    inputs: (b, i) => [b.time[i]!, b.close[i]!, b.volume[i]!],
    read: single('sessionVwap'),
  },
  {
    title: 'population StdDev(20) matches TTR runSD with sample = FALSE',
    batch: (b) => ({ stdDev: stdDev(b.close, 20) }),
    create: () => asIndicator(new StdDev(20)),
    inputs: closeOnly,
    read: single('stdDev'),
  },
  {
    title: 'sample StdDev(20) matches TTR runSD',
    batch: (b) => ({ stdDevSample: stdDev(b.close, 20, { sample: true }) }),
    create: () => asIndicator(new StdDev(20, { sample: true })),
    inputs: closeOnly,
    read: single('stdDevSample'),
  },
  {
    title: 'ZScore(20) matches TTR runMean and runSD composed',
    batch: (b) => ({ zScore: zScore(b.close, 20) }),
    create: () => asIndicator(new ZScore(20)),
    inputs: closeOnly,
    read: single('zScore'),
  },
  {
    title: 'RollingMin(20) matches TTR runMin',
    batch: (b) => ({ rollingMin: rollingMin(b.low, 20) }),
    create: () => asIndicator(new RollingMin(20)),
    inputs: (b, i) => [b.low[i]!],
    read: single('rollingMin'),
  },
  {
    title: 'RollingMax(20) matches TTR runMax',
    batch: (b) => ({ rollingMax: rollingMax(b.high, 20) }),
    create: () => asIndicator(new RollingMax(20)),
    inputs: (b, i) => [b.high[i]!],
    read: single('rollingMax'),
  },
];

/** Returns the largest relative error after warm-up, after checking the warm-up matches. */
function compare(name: string, actual: ArrayLike<number>, expected: (number | null)[]): number {
  expect(actual.length, name).toBe(expected.length);
  let scale = 0;
  for (const v of expected) if (v !== null) scale = Math.max(scale, Math.abs(v));
  const floor = FLOOR * scale;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i];
    const got = actual[i]!;
    if (want === null || want === undefined) {
      expect(got, `${name}[${i}] is warm-up`).toBeNaN();
      continue;
    }
    const error = got === want ? 0 : Math.abs(got - want) / Math.max(Math.abs(want), floor);
    if (!(error <= TOLERANCE)) {
      expect.fail(`${name}[${i}]: got ${got}, TTR ${want}, relative error ${error}`);
    }
    worst = Math.max(worst, error);
  }
  worstErrors.set(name, Math.max(worstErrors.get(name) ?? 0, worst));
  return worst;
}

for (const fixture of ['XRPETH-5m', 'ADABTC-1m-first1500']) {
  describe(`indicators on ${fixture} against TTR`, () => {
    const bars = loadBars(fixture);
    const reference = loadReference(fixture);

    for (const c of cases) {
      it(`${c.title} in batch form`, () => {
        for (const [key, series] of Object.entries(c.batch(bars))) {
          compare(key, series, reference[key]!);
        }
      });

      it(`${c.title} in streaming form`, () => {
        const indicator = c.create();
        const keys = Object.keys(c.batch(bars));
        const streamed: Outputs = {};
        for (const key of keys)
          streamed[key] = new Float64Array(bars.close.length).fill(Number.NaN);
        // Streaming is ready once every output is defined; until then it returns undefined.
        const ready = Math.max(...keys.map((key) => reference[key]!.findIndex((v) => v !== null)));
        for (let i = 0; i < bars.close.length; i++) {
          const value = indicator.update(...c.inputs(bars, i));
          expect(value === undefined, `undefined at bar ${i}`).toBe(i < ready);
          expect(indicator.isReady).toBe(i >= ready);
          if (value === undefined) continue;
          for (const [key, v] of Object.entries(c.read(value))) streamed[key]![i] = v;
        }
        for (const key of keys) {
          const expected = reference[key]!.map((v, i) => (i < ready ? null : v));
          compare(key, streamed[key]!, expected);
        }
      });
    }
  });
}

// `QTP_CONFORMANCE_REPORT=1 npx vitest run packages/strategy/test/conformance.test.ts` prints the
// largest relative error per output, for the README's conformance table.
afterAll(() => {
  if (process.env.QTP_CONFORMANCE_REPORT === undefined) return;
  for (const [name, error] of worstErrors) console.log(`${name}\t${error.toExponential(1)}`);
});
