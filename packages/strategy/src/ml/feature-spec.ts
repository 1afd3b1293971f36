import { parseWith } from '@qtp/core';
import { z } from 'zod';

/** A column of a bar that a feature reads. */
export type PriceField = 'open' | 'high' | 'low' | 'close' | 'volume';

/** The indicators a feature can be built from; see {@link IndicatorFeature} for their parameters. */
export const FEATURE_INDICATORS = [
  'sma',
  'ema',
  'wma',
  'dema',
  'tema',
  'wilderMa',
  'rsi',
  'roc',
  'stdDev',
  'zScore',
  'rollingMin',
  'rollingMax',
  'atr',
  'cci',
  'williamsR',
  'mfi',
  'cmf',
  'obv',
  'adx',
  'macd',
  'bollinger',
  'stochastic',
  'keltner',
  'donchian',
] as const;

/** The name of an indicator a feature can be built from. */
export type FeatureIndicator = (typeof FEATURE_INDICATORS)[number];

/** What every feature declares besides its kind. */
interface FeatureBase {
  /** The column name; default derived from the declaration, such as `rsi_14` or `sma_20_lag1`. */
  readonly name?: string;
  /** How many bars back the value is taken from: 0 (default) for the bar itself. */
  readonly lag?: number;
}

/**
 * An indicator's output as a feature. Parameters by indicator (defaults in brackets):
 * `period` for the moving averages, `rsi`, `roc`, `stdDev`, `zScore`, `rollingMin`,
 * `rollingMax`, `atr`, `williamsR`, `mfi`, `cmf`, `adx`, `donchian` [14]; `cci`: `period` [20],
 * `constant` [0.015]; `macd`: `fast` [12], `slow` [26], `signal` [9]; `bollinger`: `period` [20],
 * `k` [2]; `stochastic`: `kPeriod` [14], `dPeriod` [3]; `keltner`: `period` [20], `multiplier`
 * [2], `atrPeriod` [10]. Outputs: `adx` (`adx`, `plusDi`, `minusDi`), `macd` (`macd`, `signal`,
 * `histogram`), `bollinger`, `keltner`, `donchian` (`upper`, `middle`, `lower`), `stochastic`
 * (`k`, `d`); the first is the default. Single-input indicators read `source` [close]; the others
 * read the bar fields they need.
 */
export interface IndicatorFeature extends FeatureBase {
  readonly kind: 'indicator';
  readonly indicator: FeatureIndicator;
  readonly params?: Readonly<Record<string, number>>;
  readonly output?: string;
  readonly source?: PriceField;
}

/** The return over `period` bars: `x[t] / x[t - period] - 1`, or `log(x[t] / x[t - period])`. */
export interface ReturnFeature extends FeatureBase {
  readonly kind: 'return';
  readonly period?: number;
  readonly log?: boolean;
  readonly source?: PriceField;
}

/**
 * A rolling statistic over `period` bars of a field (`of: 'value'`, default) or of its one-bar
 * simple return (`of: 'return'`): `mean`, `std` (population), `min`, `max` or `zscore`.
 */
export interface RollingFeature extends FeatureBase {
  readonly kind: 'rolling';
  readonly statistic: 'mean' | 'std' | 'min' | 'max' | 'zscore';
  readonly period: number;
  readonly source?: PriceField;
  readonly of?: 'value' | 'return';
}

/** A bar field itself, such as the volume, usually with a lag. */
export interface FieldFeature extends FeatureBase {
  readonly kind: 'field';
  readonly source: PriceField;
}

/** One feature, declared as data: plain JSON that {@link parseFeatureSpecs} checks. */
export type FeatureSpec = IndicatorFeature | ReturnFeature | RollingFeature | FieldFeature;

const field = z.enum(['open', 'high', 'low', 'close', 'volume']);
const count = (min: number) => z.number().int().min(min);
const base = { name: z.string().min(1).max(64).optional(), lag: count(0).max(10_000).optional() };

const featureSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('indicator'),
    indicator: z.enum(FEATURE_INDICATORS),
    params: z.record(z.string(), z.number().finite()).optional(),
    output: z.string().optional(),
    source: field.optional(),
    ...base,
  }),
  z.strictObject({
    kind: z.literal('return'),
    period: count(1).optional(),
    log: z.boolean().optional(),
    source: field.optional(),
    ...base,
  }),
  z.strictObject({
    kind: z.literal('rolling'),
    statistic: z.enum(['mean', 'std', 'min', 'max', 'zscore']),
    period: count(1),
    source: field.optional(),
    of: z.enum(['value', 'return']).optional(),
    ...base,
  }),
  z.strictObject({ kind: z.literal('field'), source: field, ...base }),
]);

/**
 * Returns the feature declarations checked, for specs read from JSON or a config file.
 * @throws {@link @qtp/core!ValidationError} naming the path of the first bad entry, such as `[2].period`
 * @example
 * ```ts
 * import { parseFeatureSpecs } from '@qtp/strategy/ml';
 * const specs = parseFeatureSpecs(JSON.parse('[{"kind":"indicator","indicator":"rsi","params":{"period":14}}]'));
 * ```
 */
export function parseFeatureSpecs(input: unknown): FeatureSpec[] {
  return parseWith(z.array(featureSchema), input) as FeatureSpec[];
}
