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
  WilderMA,
  WilliamsR,
  WMA,
  wilderMa,
  williamsR,
  wma,
  ZScore,
  zScore,
} from '@qtp/strategy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** A random bar: time (ms, ascending when accumulated), high, low, close, volume. */
interface Bar {
  time: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Spec {
  name: string;
  create(): Indicator<number[], unknown>;
  inputs(bar: Bar): number[];
  /** The batch outputs at each index, in the order `read` lists them. */
  batch(bars: Bar[]): Float64Array[];
  /** The streaming value's outputs in the order of `batch`. */
  read(value: unknown): number[];
  /** Batch outputs defined before the streaming value is (MACD's line before its signal). */
  early?: boolean;
}

const col = (bars: Bar[], key: keyof Bar) => bars.map((bar) => bar[key]);
const one = (value: unknown) => [value as number];
const band = (value: unknown) => {
  const v = value as { upper: number; middle: number; lower: number };
  return [v.upper, v.middle, v.lower];
};
const ind = (indicator: object) => indicator as Indicator<number[], unknown>;
const closeIn = (bar: Bar) => [bar.close];
const hlcIn = (bar: Bar) => [bar.high, bar.low, bar.close];
const hlcvIn = (bar: Bar) => [bar.high, bar.low, bar.close, bar.volume];
const hlc = (bars: Bar[]) => [col(bars, 'high'), col(bars, 'low'), col(bars, 'close')] as const;
const hlcv = (bars: Bar[]) => [...hlc(bars), col(bars, 'volume')] as const;

const specs: Spec[] = [
  {
    name: 'SMA',
    create: () => ind(new SMA(5)),
    inputs: closeIn,
    batch: (b) => [sma(col(b, 'close'), 5)],
    read: one,
  },
  {
    name: 'EMA',
    create: () => ind(new EMA(5)),
    inputs: closeIn,
    batch: (b) => [ema(col(b, 'close'), 5)],
    read: one,
  },
  {
    name: 'WilderMA',
    create: () => ind(new WilderMA(5)),
    inputs: closeIn,
    batch: (b) => [wilderMa(col(b, 'close'), 5)],
    read: one,
  },
  {
    name: 'WMA',
    create: () => ind(new WMA(5)),
    inputs: closeIn,
    batch: (b) => [wma(col(b, 'close'), 5)],
    read: one,
  },
  {
    name: 'DEMA',
    create: () => ind(new DEMA(3)),
    inputs: closeIn,
    batch: (b) => [dema(col(b, 'close'), 3)],
    read: one,
  },
  {
    name: 'TEMA',
    create: () => ind(new TEMA(3)),
    inputs: closeIn,
    batch: (b) => [tema(col(b, 'close'), 3)],
    read: one,
  },
  {
    name: 'RSI',
    create: () => ind(new RSI(4)),
    inputs: closeIn,
    batch: (b) => [rsi(col(b, 'close'), 4)],
    read: one,
  },
  {
    name: 'MACD',
    create: () => ind(new MACD(2, 4, 3)),
    inputs: closeIn,
    batch: (b) => {
      const r = macd(col(b, 'close'), 2, 4, 3);
      return [r.macd, r.signal, r.histogram];
    },
    read: (value) => {
      const v = value as { macd: number; signal: number; histogram: number };
      return [v.macd, v.signal, v.histogram];
    },
    early: true,
  },
  {
    name: 'BollingerBands',
    create: () => ind(new BollingerBands(5, 2)),
    inputs: closeIn,
    batch: (b) => {
      const r = bollinger(col(b, 'close'), 5, 2);
      return [r.upper, r.middle, r.lower];
    },
    read: band,
  },
  {
    name: 'ATR',
    create: () => ind(new ATR(4)),
    inputs: hlcIn,
    batch: (b) => [atr(...hlc(b), 4)],
    read: one,
  },
  {
    name: 'ADX',
    create: () => ind(new ADX(3)),
    inputs: hlcIn,
    batch: (b) => {
      const r = adx(...hlc(b), 3);
      return [r.adx, r.plusDi, r.minusDi];
    },
    read: (value) => {
      const v = value as { adx: number; plusDi: number; minusDi: number };
      return [v.adx, v.plusDi, v.minusDi];
    },
    early: true,
  },
  {
    name: 'CCI',
    create: () => ind(new CCI(4)),
    inputs: hlcIn,
    batch: (b) => [cci(...hlc(b), 4)],
    read: one,
  },
  {
    name: 'ROC',
    create: () => ind(new ROC(3)),
    inputs: closeIn,
    batch: (b) => [roc(col(b, 'close'), 3)],
    read: one,
  },
  {
    name: 'OBV',
    create: () => ind(new OBV()),
    inputs: (bar) => [bar.close, bar.volume],
    batch: (b) => [obv(col(b, 'close'), col(b, 'volume'))],
    read: one,
  },
  {
    name: 'Stochastic',
    create: () => ind(new Stochastic(4, 3)),
    inputs: hlcIn,
    batch: (b) => {
      const r = stochastic(...hlc(b), 4, 3);
      return [r.k, r.d];
    },
    read: (value) => {
      const v = value as { k: number; d: number };
      return [v.k, v.d];
    },
    early: true,
  },
  {
    name: 'WilliamsR',
    create: () => ind(new WilliamsR(4)),
    inputs: hlcIn,
    batch: (b) => [williamsR(...hlc(b), 4)],
    read: one,
  },
  {
    name: 'Donchian',
    create: () => ind(new Donchian(4)),
    inputs: (bar) => [bar.high, bar.low],
    batch: (b) => {
      const r = donchian(col(b, 'high'), col(b, 'low'), 4);
      return [r.upper, r.middle, r.lower];
    },
    read: band,
  },
  {
    name: 'Keltner',
    create: () => ind(new Keltner(4, 1.5, 3)),
    inputs: hlcIn,
    batch: (b) => {
      const r = keltner(...hlc(b), 4, 1.5, 3);
      return [r.upper, r.middle, r.lower];
    },
    read: band,
  },
  {
    name: 'MFI',
    create: () => ind(new MFI(3)),
    inputs: hlcvIn,
    batch: (b) => [mfi(...hlcv(b), 3)],
    read: one,
  },
  {
    name: 'CMF',
    create: () => ind(new CMF(3)),
    inputs: hlcvIn,
    batch: (b) => [cmf(...hlcv(b), 3)],
    read: one,
  },
  {
    name: 'VWAP',
    create: () => ind(new VWAP(3)),
    inputs: (bar) => [bar.close, bar.volume],
    batch: (b) => [vwap(col(b, 'close'), col(b, 'volume'), 3)],
    read: one,
  },
  {
    name: 'SessionVWAP',
    create: () => ind(new SessionVWAP({ sessionMs: 10_000 })),
    inputs: (bar) => [bar.time, bar.close, bar.volume],
    batch: (b) => [
      sessionVwap(col(b, 'time'), col(b, 'close'), col(b, 'volume'), { sessionMs: 10_000 }),
    ],
    read: one,
  },
  {
    name: 'StdDev',
    create: () => ind(new StdDev(4)),
    inputs: closeIn,
    batch: (b) => [stdDev(col(b, 'close'), 4)],
    read: one,
  },
  {
    name: 'ZScore',
    create: () => ind(new ZScore(4)),
    inputs: closeIn,
    batch: (b) => [zScore(col(b, 'close'), 4)],
    read: one,
  },
  {
    name: 'RollingMin',
    create: () => ind(new RollingMin(4)),
    inputs: closeIn,
    batch: (b) => [rollingMin(col(b, 'close'), 4)],
    read: one,
  },
  {
    name: 'RollingMax',
    create: () => ind(new RollingMax(4)),
    inputs: closeIn,
    batch: (b) => [rollingMax(col(b, 'close'), 4)],
    read: one,
  },
];

// Prices on a coarse grid so that ties (flat bars, equal closes, zero ranges) happen often.
const price = fc.integer({ min: 1, max: 40 }).map((n) => n / 4);
const bar = fc
  .record({
    step: fc.integer({ min: 0, max: 4_000 }),
    a: price,
    b: price,
    c: price,
    volume: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ step, a, b, c, volume }) => ({
    time: step,
    high: Math.max(a, b, c),
    low: Math.min(a, b, c),
    close: c,
    volume,
  }));
const bars = fc.array(bar, { minLength: 0, maxLength: 60 }).map((list) => {
  let time = 0;
  return list.map((b) => {
    time += b.time;
    return { ...b, time };
  });
});

/** Runs `indicator` over `list` and returns each step's outputs (NaN while undefined). */
function stream(spec: Spec, list: Bar[], indicator = spec.create()): number[][] {
  return list.map((b) => {
    const value = indicator.update(...spec.inputs(b));
    return value === undefined ? [] : spec.read(value);
  });
}

describe.each(specs)('$name', (spec) => {
  it('gives the same numbers streaming as in batch, undefined exactly during warm-up', () => {
    fc.assert(
      fc.property(bars, (list) => {
        const batch = spec.batch(list);
        const streamed = stream(spec, list);
        streamed.forEach((outputs, i) => {
          const defined = batch.every((series) => !Number.isNaN(series[i]!));
          if (outputs.length === 0) {
            // Undefined while warming up: every batch output (or, with early outputs, some) is NaN.
            if (!spec.early) expect(defined, `bar ${i}`).toBe(false);
            return;
          }
          for (const [k, v] of outputs.entries()) {
            expect(Object.is(v, batch[k]![i]), `bar ${i} output ${k}`).toBe(true);
          }
        });
      }),
    );
  });

  it('replaces a forming bar any number of times and then matches a fresh run', () => {
    fc.assert(
      fc.property(
        bars,
        fc.array(fc.array(bar, { maxLength: 3 }), { maxLength: 60 }),
        (list, drafts) => {
          const indicator = spec.create();
          const revised = list.map((b, i) => {
            // Drafts of bar i are updated then replaced, as a live candle forms; the last replace is the real bar.
            const forming = drafts[i] ?? [];
            let value: unknown;
            if (forming.length === 0) value = indicator.update(...spec.inputs(b));
            else {
              indicator.update(...spec.inputs({ ...forming[0]!, time: b.time }));
              for (const draft of forming.slice(1))
                indicator.replace(...spec.inputs({ ...draft, time: b.time }));
              value = indicator.replace(...spec.inputs(b));
            }
            // Read at once: multi-output indicators overwrite one result object.
            return value === undefined ? [] : spec.read(value);
          });
          expect(revised).toEqual(stream(spec, list));
          expect(indicator.isReady).toBe(list.length > 0 && revised.at(-1)!.length > 0);
        },
      ),
    );
  });

  it('forgets everything on reset', () => {
    fc.assert(
      fc.property(bars, bars, (first, second) => {
        const indicator = spec.create();
        stream(spec, first, indicator);
        indicator.reset();
        expect(indicator.isReady).toBe(false);
        expect(indicator.value).toBeUndefined();
        expect(stream(spec, second, indicator)).toEqual(stream(spec, second));
      }),
    );
  });

  it('reports value and isReady consistently with the last update', () => {
    fc.assert(
      fc.property(bars, (list) => {
        const indicator = spec.create();
        for (const b of list) {
          const returned = indicator.update(...spec.inputs(b));
          expect(indicator.value).toBe(returned);
          expect(indicator.isReady).toBe(returned !== undefined);
        }
      }),
    );
  });
});
