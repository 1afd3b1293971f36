import type { BarSeries } from '@qtp/core';
import {
  ADX,
  ATR,
  adx,
  atr,
  BollingerBands,
  bollinger,
  CCI,
  cci,
  EMA,
  ema,
  MACD,
  MFI,
  macd,
  mfi,
  OBV,
  obv,
  RSI,
  rsi,
  SMA,
  Stochastic,
  sma,
  stochastic,
  WMA,
  wma,
} from '@qtp/strategy';
import { describe, expect, it } from 'vitest';
import { fixtureSeries } from '../../test/bar-series-fixture.js';

// Each case: the batch output over the series' columns, and the streaming value bar by bar.
const cases: [
  string,
  (s: BarSeries) => ArrayLike<number>,
  (s: BarSeries) => (i: number) => number | undefined,
][] = [
  [
    'SMA(20)',
    (s) => sma(s.close, 20),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)
      )(new SMA(20)),
  ],
  [
    'EMA(20)',
    (s) => ema(s.close, 20),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)
      )(new EMA(20)),
  ],
  [
    'WMA(10)',
    (s) => wma(s.close, 10),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)
      )(new WMA(10)),
  ],
  [
    'RSI(14)',
    (s) => rsi(s.close, 14),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)
      )(new RSI(14)),
  ],
  [
    'ATR(14)',
    (s) => atr(s.high, s.low, s.close, 14),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.high[i]!, s.low[i]!, s.close[i]!)
      )(new ATR(14)),
  ],
  [
    'CCI(20)',
    (s) => cci(s.high, s.low, s.close, 20),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.high[i]!, s.low[i]!, s.close[i]!)
      )(new CCI(20)),
  ],
  [
    'MFI(14)',
    (s) => mfi(s.high, s.low, s.close, s.volume, 14),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!)
      )(new MFI(14)),
  ],
  [
    'OBV',
    (s) => obv(s.close, s.volume),
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!, s.volume[i]!)
      )(new OBV()),
  ],
  [
    'ADX(14)',
    (s) => adx(s.high, s.low, s.close, 14).adx,
    (s) =>
      (
        (x) => (i) =>
          x.update(s.high[i]!, s.low[i]!, s.close[i]!)?.adx
      )(new ADX(14)),
  ],
  [
    'MACD(12, 26, 9) signal',
    (s) => macd(s.close, 12, 26, 9).signal,
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)?.signal
      )(new MACD(12, 26, 9)),
  ],
  [
    'Bollinger(20, 2) upper',
    (s) => bollinger(s.close, 20, 2).upper,
    (s) =>
      (
        (x) => (i) =>
          x.update(s.close[i]!)?.upper
      )(new BollingerBands(20, 2)),
  ],
  [
    'Stochastic(14, 3) %D',
    (s) => stochastic(s.high, s.low, s.close, 14, 3).d,
    (s) =>
      (
        (x) => (i) =>
          x.update(s.high[i]!, s.low[i]!, s.close[i]!)?.d
      )(new Stochastic(14, 3)),
  ],
];

describe.each([
  ['ADABTC-1m-first1500', 'ADABTC'],
  ['XRPETH-5m', 'XRPETH'],
])('batch indicators over a BarSeries of %s', (name, symbol) => {
  const series = fixtureSeries(name, symbol);

  it.each(cases)('%s equals the streaming indicator bit for bit', (_label, batch, stream) => {
    const values = batch(series);
    const step = stream(series);
    let defined = 0;
    for (let i = 0; i < series.length; i++) {
      const streamed = step(i) ?? Number.NaN;
      if (!Object.is(values[i], streamed))
        throw new Error(`bar ${i}: batch ${values[i]}, streaming ${streamed}`);
      if (!Number.isNaN(streamed)) defined++;
    }
    expect(defined).toBeGreaterThan(series.length - 60);
  });
});
