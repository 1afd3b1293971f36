import { ValidationError } from '@qtp/core';
import { ADX, adx } from '../indicators/adx.js';
import { ATR, atr } from '../indicators/atr.js';
import { BollingerBands, bollinger } from '../indicators/bollinger.js';
import { CCI, cci } from '../indicators/cci.js';
import { DEMA, dema, TEMA, tema } from '../indicators/dema.js';
import { Donchian, donchian } from '../indicators/donchian.js';
import { EMA, ema, WilderMA, wilderMa } from '../indicators/ema.js';
import { Keltner, keltner } from '../indicators/keltner.js';
import { MACD, macd } from '../indicators/macd.js';
import { CMF, cmf, MFI, mfi } from '../indicators/money-flow.js';
import { OBV, obv } from '../indicators/obv.js';
import { ROC, roc } from '../indicators/roc.js';
import { RollingMax, RollingMin, rollingMax, rollingMin } from '../indicators/rolling-extremes.js';
import { StdDev, stdDev, ZScore, zScore } from '../indicators/rolling-stats.js';
import { RSI, rsi } from '../indicators/rsi.js';
import { SMA, sma } from '../indicators/sma.js';
import { Stochastic, stochastic, WilliamsR, williamsR } from '../indicators/stochastic.js';
import type { Indicator } from '../indicators/types.js';
import { WMA, wma } from '../indicators/wma.js';
import type { FeatureIndicator } from './feature-spec.js';

/** The bar columns an indicator reads, in its update order. */
export type InputShape = 'source' | 'hl' | 'hlc' | 'hlcv' | 'cv';

/** Bar columns as typed arrays. */
export interface Columns {
  readonly source: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

type AnyIndicator = Indicator<never, unknown> & { update(...inputs: number[]): unknown };

/** How one indicator is computed in batch and streaming, from its parameters. */
export interface IndicatorDefinition {
  readonly inputs: InputShape;
  readonly params: readonly (readonly [name: string, fallback: number])[];
  readonly outputs: readonly string[];
  batch(columns: Columns, params: readonly number[]): readonly Float64Array[];
  create(params: readonly number[]): AnyIndicator;
}

const one = (
  create: (p: number) => Indicator<[number], number>,
  batch: (values: Float64Array, p: number) => Float64Array,
  fallback = 14,
): IndicatorDefinition => ({
  inputs: 'source',
  params: [['period', fallback]],
  outputs: ['value'],
  batch: (c, [p]) => [batch(c.source, p!)],
  create: ([p]) => create(p!) as unknown as AnyIndicator,
});

const hlc = (
  create: (p: number) => Indicator<[number, number, number], number>,
  batch: (h: Float64Array, l: Float64Array, c: Float64Array, p: number) => Float64Array,
): IndicatorDefinition => ({
  inputs: 'hlc',
  params: [['period', 14]],
  outputs: ['value'],
  batch: (c, [p]) => [batch(c.high, c.low, c.close, p!)],
  create: ([p]) => create(p!) as unknown as AnyIndicator,
});

const hlcv = (
  create: (p: number) => Indicator<[number, number, number, number], number>,
  batch: (
    h: Float64Array,
    l: Float64Array,
    c: Float64Array,
    v: Float64Array,
    p: number,
  ) => Float64Array,
): IndicatorDefinition => ({
  inputs: 'hlcv',
  params: [['period', 14]],
  outputs: ['value'],
  batch: (c, [p]) => [batch(c.high, c.low, c.close, c.volume, p!)],
  create: ([p]) => create(p!) as unknown as AnyIndicator,
});

const BANDS = ['upper', 'middle', 'lower'] as const;

/** Every indicator a feature may name, with its parameters and outputs. */
export const INDICATOR_TABLE: Readonly<Record<FeatureIndicator, IndicatorDefinition>> = {
  sma: one((p) => new SMA(p), sma, 20),
  ema: one((p) => new EMA(p), ema, 20),
  wma: one((p) => new WMA(p), wma, 20),
  dema: one((p) => new DEMA(p), dema, 20),
  tema: one((p) => new TEMA(p), tema, 20),
  wilderMa: one((p) => new WilderMA(p), wilderMa, 14),
  rsi: one((p) => new RSI(p), rsi),
  roc: one((p) => new ROC(p), roc, 10),
  stdDev: one(
    (p) => new StdDev(p),
    (v, p) => stdDev(v, p),
    20,
  ),
  zScore: one((p) => new ZScore(p), zScore, 20),
  rollingMin: one((p) => new RollingMin(p), rollingMin, 20),
  rollingMax: one((p) => new RollingMax(p), rollingMax, 20),
  atr: hlc((p) => new ATR(p), atr),
  williamsR: hlc((p) => new WilliamsR(p), williamsR),
  cci: {
    inputs: 'hlc',
    params: [
      ['period', 20],
      ['constant', 0.015],
    ],
    outputs: ['value'],
    batch: (c, [p, k]) => [cci(c.high, c.low, c.close, p!, k!)],
    create: ([p, k]) => new CCI(p!, k!) as unknown as AnyIndicator,
  },
  mfi: hlcv((p) => new MFI(p), mfi),
  cmf: hlcv((p) => new CMF(p), cmf),
  obv: {
    inputs: 'cv',
    params: [],
    outputs: ['value'],
    batch: (c) => [obv(c.close, c.volume)],
    create: () => new OBV() as unknown as AnyIndicator,
  },
  adx: {
    inputs: 'hlc',
    params: [['period', 14]],
    outputs: ['adx', 'plusDi', 'minusDi'],
    batch: (c, [p]) => {
      const r = adx(c.high, c.low, c.close, p!);
      return [r.adx, r.plusDi, r.minusDi];
    },
    create: ([p]) => new ADX(p!) as unknown as AnyIndicator,
  },
  macd: {
    inputs: 'source',
    params: [
      ['fast', 12],
      ['slow', 26],
      ['signal', 9],
    ],
    outputs: ['macd', 'signal', 'histogram'],
    batch: (c, [f, s, g]) => {
      const r = macd(c.source, f!, s!, g!);
      return [r.macd, r.signal, r.histogram];
    },
    create: ([f, s, g]) => new MACD(f!, s!, g!) as unknown as AnyIndicator,
  },
  bollinger: {
    inputs: 'source',
    params: [
      ['period', 20],
      ['k', 2],
    ],
    outputs: BANDS,
    batch: (c, [p, k]) => {
      const r = bollinger(c.source, p!, k!);
      return [r.upper, r.middle, r.lower];
    },
    create: ([p, k]) => new BollingerBands(p!, k!) as unknown as AnyIndicator,
  },
  stochastic: {
    inputs: 'hlc',
    params: [
      ['kPeriod', 14],
      ['dPeriod', 3],
    ],
    outputs: ['k', 'd'],
    batch: (c, [k, d]) => {
      const r = stochastic(c.high, c.low, c.close, k!, d!);
      return [r.k, r.d];
    },
    create: ([k, d]) => new Stochastic(k!, d!) as unknown as AnyIndicator,
  },
  keltner: {
    inputs: 'hlc',
    params: [
      ['period', 20],
      ['multiplier', 2],
      ['atrPeriod', 10],
    ],
    outputs: BANDS,
    batch: (c, [p, m, a]) => {
      const r = keltner(c.high, c.low, c.close, p!, m!, a!);
      return [r.upper, r.middle, r.lower];
    },
    create: ([p, m, a]) => new Keltner(p!, m!, a!) as unknown as AnyIndicator,
  },
  donchian: {
    inputs: 'hl',
    params: [['period', 20]],
    outputs: BANDS,
    batch: (c, [p]) => {
      const r = donchian(c.high, c.low, p!);
      return [r.upper, r.middle, r.lower];
    },
    create: ([p]) => new Donchian(p!) as unknown as AnyIndicator,
  },
};

/** Returns the parameter values of a declaration, defaults filled in, unknown names rejected. */
export function resolveParams(
  indicator: FeatureIndicator,
  given: Readonly<Record<string, number>> | undefined,
  field: string,
): number[] {
  const definition = INDICATOR_TABLE[indicator];
  for (const name of Object.keys(given ?? {})) {
    if (!definition.params.some(([known]) => known === name)) {
      const names = definition.params.map(([known]) => known).join(', ') || 'none';
      throw new ValidationError(
        `${field}.params.${name}`,
        `be one of the parameters of ${indicator}: ${names}`,
        given?.[name],
      );
    }
  }
  return definition.params.map(([name, fallback]) => given?.[name] ?? fallback);
}
