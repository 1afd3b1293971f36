import { ValidationError } from '@qtp/core';
import { RollingMax, RollingMin, rollingMax, rollingMin } from '../indicators/rolling-extremes.js';
import { StdDev, stdDev, ZScore, zScore } from '../indicators/rolling-stats.js';
import { SMA, sma } from '../indicators/sma.js';
import type { Indicator } from '../indicators/types.js';
import type { FeatureSpec, PriceField } from './feature-spec.js';
import { type Columns, INDICATOR_TABLE, resolveParams } from './indicator-table.js';

/** The bar columns a batch computation reads. */
export interface BarColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** Computes one bar's value of a feature from its fields; NaN while it warms up. */
export type FeatureStep = (
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
) => number;

/** A feature ready to run: its name, a batch function and a factory of streaming steps. */
export interface CompiledFeature {
  readonly name: string;
  batch(bars: BarColumns): Float64Array;
  stream(): FeatureStep;
}

const pick = (field: PriceField, o: number, h: number, l: number, c: number, v: number): number =>
  field === 'open' ? o : field === 'high' ? h : field === 'low' ? l : field === 'close' ? c : v;

function checkCount(field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError(field, `be an integer >= ${min}`, value);
  }
  return value;
}

// Lags the values by `lag` bars: batch shifts the array, streaming keeps a ring of lag + 1 values.
function withLag(feature: CompiledFeature, lag: number): CompiledFeature {
  if (lag === 0) return feature;
  return {
    name: feature.name,
    batch(bars) {
      const values = feature.batch(bars);
      const out = new Float64Array(values.length).fill(Number.NaN);
      out.set(values.subarray(0, Math.max(0, values.length - lag)), lag);
      return out;
    },
    stream() {
      const step = feature.stream();
      const ring = new Float64Array(lag + 1).fill(Number.NaN);
      let next = 0;
      return (o, h, l, c, v) => {
        ring[next] = step(o, h, l, c, v);
        next = next === lag ? 0 : next + 1;
        // After the write, `next` holds the value written lag bars ago (NaN until then).
        return ring[next]!;
      };
    },
  };
}

function indicatorFeature(
  spec: Extract<FeatureSpec, { kind: 'indicator' }>,
  field: string,
): CompiledFeature {
  const definition = INDICATOR_TABLE[spec.indicator];
  const params = resolveParams(spec.indicator, spec.params, field);
  const output = spec.output ?? definition.outputs[0]!;
  const index = definition.outputs.indexOf(output);
  if (index < 0) {
    throw new ValidationError(
      `${field}.output`,
      `be one of ${definition.outputs.join(', ')}`,
      output,
    );
  }
  const source = spec.source ?? 'close';
  if (source !== 'close' && definition.inputs !== 'source') {
    throw new ValidationError(
      `${field}.source`,
      `be close for ${spec.indicator}, which reads the bar's fields`,
      source,
    );
  }
  // Fail early on bad parameters, with the indicator's own message.
  definition.create(params);
  const key = output === 'value' ? undefined : output;
  const several = definition.outputs.length > 1;
  const name =
    spec.name ??
    [
      spec.indicator,
      ...params,
      ...(key ? [key] : []),
      ...(source === 'close' ? [] : [source]),
    ].join('_');
  return {
    name,
    batch(bars) {
      const columns: Columns = { ...bars, source: bars[source] };
      const outputs = definition.batch(columns, params);
      const values = Float64Array.from(outputs[index]!);
      // A streaming indicator with several outputs gives none until all are ready; mask the same.
      if (several) {
        for (const other of outputs) {
          for (let i = 0; i < values.length; i++)
            if (Number.isNaN(other[i]!)) values[i] = Number.NaN;
        }
      }
      return values;
    },
    stream() {
      const indicator = definition.create(params);
      const read = (value: unknown): number =>
        value === undefined
          ? Number.NaN
          : key === undefined
            ? (value as number)
            : (value as Record<string, number>)[key]!;
      switch (definition.inputs) {
        case 'source':
          return (o, h, l, c, v) => read(indicator.update(pick(source, o, h, l, c, v)));
        case 'hl':
          return (_o, h, l) => read(indicator.update(h, l));
        case 'hlc':
          return (_o, h, l, c) => read(indicator.update(h, l, c));
        case 'hlcv':
          return (_o, h, l, c, v) => read(indicator.update(h, l, c, v));
        case 'cv':
          return (_o, _h, _l, c, v) => read(indicator.update(c, v));
      }
    },
  };
}

function returnFeature(
  spec: Extract<FeatureSpec, { kind: 'return' }>,
  field: string,
): CompiledFeature {
  const period = checkCount(`${field}.period`, spec.period ?? 1, 1);
  const source = spec.source ?? 'close';
  const log = spec.log ?? false;
  const of = (now: number, then: number): number => (log ? Math.log(now / then) : now / then - 1);
  return {
    name:
      spec.name ?? `${log ? 'logret' : 'ret'}_${period}${source === 'close' ? '' : `_${source}`}`,
    batch(bars) {
      const x = bars[source];
      const out = new Float64Array(x.length).fill(Number.NaN);
      for (let i = period; i < x.length; i++) out[i] = of(x[i]!, x[i - period]!);
      return out;
    },
    stream() {
      const ring = new Float64Array(period + 1);
      let seen = 0;
      let next = 0;
      return (o, h, l, c, v) => {
        ring[next] = pick(source, o, h, l, c, v);
        const now = ring[next]!;
        next = next === period ? 0 : next + 1;
        // After the write, `next` is the slot of the value `period` bars back.
        return ++seen > period ? of(now, ring[next]!) : Number.NaN;
      };
    },
  };
}

type RollingStatistic = Extract<FeatureSpec, { kind: 'rolling' }>['statistic'];
const ROLLING: Record<
  RollingStatistic,
  {
    batch(values: Float64Array, period: number): Float64Array;
    create(period: number): Indicator<[number], number>;
  }
> = {
  mean: { batch: sma, create: (p) => new SMA(p) },
  std: { batch: (v, p) => stdDev(v, p), create: (p) => new StdDev(p) },
  min: { batch: rollingMin, create: (p) => new RollingMin(p) },
  max: { batch: rollingMax, create: (p) => new RollingMax(p) },
  zscore: { batch: zScore, create: (p) => new ZScore(p) },
};

function rollingFeature(
  spec: Extract<FeatureSpec, { kind: 'rolling' }>,
  field: string,
): CompiledFeature {
  const period = checkCount(`${field}.period`, spec.period, 1);
  const source = spec.source ?? 'close';
  const onReturns = spec.of === 'return';
  const statistic = ROLLING[spec.statistic];
  statistic.create(period);
  return {
    name:
      spec.name ??
      `${spec.statistic}_${period}${onReturns ? '_ret' : ''}${source === 'close' ? '' : `_${source}`}`,
    batch(bars) {
      const x = bars[source];
      const out = new Float64Array(x.length).fill(Number.NaN);
      if (!onReturns) return statistic.batch(x, period);
      if (x.length < 2) return out;
      // One-bar returns start at bar 1, so the statistic runs over returns[1..].
      const returns = new Float64Array(x.length - 1);
      for (let i = 1; i < x.length; i++) returns[i - 1] = x[i]! / x[i - 1]! - 1;
      out.set(statistic.batch(returns, period), 1);
      return out;
    },
    stream() {
      const indicator = statistic.create(period);
      if (!onReturns) {
        return (o, h, l, c, v) => indicator.update(pick(source, o, h, l, c, v)) ?? Number.NaN;
      }
      let previous = Number.NaN;
      let started = false;
      return (o, h, l, c, v) => {
        const x = pick(source, o, h, l, c, v);
        const before = previous;
        previous = x;
        if (!started) {
          started = true;
          return Number.NaN;
        }
        return indicator.update(x / before - 1) ?? Number.NaN;
      };
    },
  };
}

/** Turns one declaration into a runnable feature. */
export function compileFeature(spec: FeatureSpec, field: string): CompiledFeature {
  const lag = checkCount(`${field}.lag`, spec.lag ?? 0, 0);
  let feature: CompiledFeature;
  switch (spec.kind) {
    case 'indicator':
      feature = indicatorFeature(spec, field);
      break;
    case 'return':
      feature = returnFeature(spec, field);
      break;
    case 'rolling':
      feature = rollingFeature(spec, field);
      break;
    case 'field': {
      const source = spec.source;
      feature = {
        name: spec.name ?? source,
        batch: (bars) => Float64Array.from(bars[source]),
        stream: () => (o, h, l, c, v) => pick(source, o, h, l, c, v),
      };
      break;
    }
  }
  const lagged = withLag(feature, lag);
  if (lag === 0 || spec.name !== undefined) return lagged;
  return { ...lagged, name: `${feature.name}_lag${lag}` };
}
