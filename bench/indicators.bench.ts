/**
 * Indicators: @qtp/strategy against trading-signals, technicalindicators, @ixjb94/indicators,
 * indicatorts and a plain hand-written Float64Array loop, for SMA(20), EMA(20), RSI(14),
 * MACD(12, 26, 9) and Bollinger(20, 2) over 1,000,000 values of a seeded random walk.
 *
 * Streaming: one update per value through a fresh instance (peers without a streaming API are
 * absent). Batch: the whole series in one call; QTP and the loop read a Float64Array, the peers
 * the plain array they accept. Before a peer is timed its numbers are checked against QTP's on the
 * first 5,000 values (relative 1e-9 wherever QTP's is defined); a peer whose convention differs is
 * skipped, and the run says so.
 */

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IndicatorsSync } from '@ixjb94/indicators';
import { BollingerBands, bollinger, EMA, ema, MACD, macd, RSI, rsi, SMA, sma } from '@qtp/strategy';
import * as indicatorts from 'indicatorts';
import { do_not_optimize, group, bench as mitataBench, summary } from 'mitata';
import technicalindicators from 'technicalindicators';
import * as tradingSignals from 'trading-signals';

// The peers leave hundreds of megabytes of garbage behind; without a collection before each
// benchmark, whichever runs next pays for it. `index.ts` runs without --expose-gc, so borrow gc.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Registers a benchmark that starts from a collected heap. */
function bench(name: string, fn: () => unknown) {
  return mitataBench(name, function* () {
    collectGarbage();
    yield fn;
  });
}

const N = 1_000_000;
const CHECK = 5_000;

// A multiplicative random walk from a seeded generator (mulberry32), so runs are comparable.
function randomWalk(length: number, seed: number): Float64Array {
  let state = seed >>> 0;
  const out = new Float64Array(length);
  let price = 100;
  for (let i = 0; i < length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    price *= 1 + (u - 0.5) * 0.002;
    out[i] = price;
  }
  return out;
}

const values = randomWalk(N, 42);
const plain = Array.from(values);
const sample = values.subarray(0, CHECK);
const samplePlain = plain.slice(0, CHECK);
const ix = new IndicatorsSync();

/** Returns why `theirs` differs from `ours` (aligned at the end), or undefined when it agrees. */
function disagreement(
  ours: ArrayLike<number>,
  theirs: ArrayLike<number | null | undefined>,
): string | undefined {
  const offset = ours.length - theirs.length;
  // Values near zero (a MACD histogram crossing it) are compared against a thousandth of the
  // series' largest magnitude, as in the conformance tests: there both sides carry cancellation.
  let scale = 0;
  for (let i = 0; i < ours.length; i++)
    if (!Number.isNaN(ours[i]!)) scale = Math.max(scale, Math.abs(ours[i]!));
  const floor = 1e-3 * scale;
  let compared = 0;
  for (let i = Math.max(0, offset); i < ours.length; i++) {
    const want = ours[i]!;
    if (Number.isNaN(want)) continue;
    const got = theirs[i - offset];
    if (
      typeof got !== 'number' ||
      !(Math.abs(got - want) <= 1e-9 * Math.max(Math.abs(want), floor))
    ) {
      return `index ${i}: QTP ${want}, peer ${got}`;
    }
    compared++;
  }
  return compared > CHECK / 2 ? undefined : `only ${compared} values overlap`;
}

/** Streams `sample` through `step` and collects one output per value. */
function collect<T>(step: (x: number) => T): T[] {
  return Array.from(sample, (x) => step(x));
}

/** Adds the bench when the peer agrees, else prints why it is left out. */
function peer(
  name: string,
  ours: ArrayLike<number>,
  theirs: () => ArrayLike<number | null | undefined>,
  fn: () => unknown,
): void {
  let reason: string | undefined;
  try {
    reason = disagreement(ours, theirs());
  } catch (error) {
    reason = `threw ${(error as Error).message}`;
  }
  if (reason === undefined) bench(name, fn);
  else console.log(`skipped ${name}: convention differs (${reason})`);
}

const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);

// ---------------------------------------------------------------- hand-written loops

function loopSmaStream(xs: Float64Array, period: number): number {
  const ring = new Float64Array(period);
  let next = 0;
  let count = 0;
  let sum = 0;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    sum = sum + x - ring[next]!;
    ring[next] = x;
    next = next + 1 === period ? 0 : next + 1;
    if (++count >= period) acc += sum / period;
  }
  return acc;
}

function loopSmaBatch(xs: Float64Array, period: number): Float64Array {
  const out = new Float64Array(xs.length);
  out.fill(Number.NaN, 0, period - 1);
  let sum = 0;
  for (let i = 0; i < period - 1 && i < xs.length; i++) sum += xs[i]!;
  for (let i = period - 1; i < xs.length; i++) {
    sum += xs[i]!;
    out[i] = sum / period;
    sum -= xs[i - period + 1]!;
  }
  return out;
}

function loopEmaStream(xs: Float64Array, period: number): number {
  const alpha = 2 / (period + 1);
  let ema = 0;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (i >= period) ema = alpha * x + (1 - alpha) * ema;
    else {
      ema += x;
      if (i < period - 1) continue;
      ema /= period;
    }
    acc += ema;
  }
  return acc;
}

function loopEmaBatch(xs: Float64Array, period: number): Float64Array {
  const out = new Float64Array(xs.length);
  out.fill(Number.NaN, 0, period - 1);
  const alpha = 2 / (period + 1);
  let ema = 0;
  for (let i = 0; i < period; i++) ema += xs[i]!;
  ema /= period;
  out[period - 1] = ema;
  for (let i = period; i < xs.length; i++) {
    ema = alpha * xs[i]! + (1 - alpha) * ema;
    out[i] = ema;
  }
  return out;
}

function loopRsi(xs: Float64Array, period: number, out: Float64Array | undefined): number {
  let gain = 0;
  let loss = 0;
  let acc = 0;
  for (let i = 1; i < xs.length; i++) {
    const change = xs[i]! - xs[i - 1]!;
    const up = Math.max(change, 0);
    const down = change < 0 ? -change : 0;
    if (i > period) {
      gain += (up - gain) / period;
      loss += (down - loss) / period;
    } else {
      gain += up;
      loss += down;
      if (i < period) continue;
      gain /= period;
      loss /= period;
    }
    const total = gain + loss;
    const v = total > 0 ? (100 * gain) / total : 50;
    if (out) out[i] = v;
    else acc += v;
  }
  return acc;
}

function loopMacd(xs: Float64Array, out: Float64Array[] | undefined): number {
  const [fp, sp, gp] = [12, 26, 9];
  const [fa, sa, ga] = [2 / (fp + 1), 2 / (sp + 1), 2 / (gp + 1)];
  let fast = 0;
  let slow = 0;
  let signal = 0;
  let lines = 0;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (i >= fp) fast = fa * x + (1 - fa) * fast;
    else {
      fast += x;
      if (i === fp - 1) fast /= fp;
    }
    if (i >= sp) slow = sa * x + (1 - sa) * slow;
    else {
      slow += x;
      if (i < sp - 1) continue;
      slow /= sp;
    }
    const line = fast - slow;
    if (out) out[0]![i] = line;
    if (lines >= gp) signal = ga * line + (1 - ga) * signal;
    else {
      signal += line;
      if (++lines < gp) continue;
      signal /= gp;
    }
    if (out) {
      out[1]![i] = signal;
      out[2]![i] = line - signal;
    } else acc += line - signal;
  }
  return acc;
}

// Sliding Welford for the deviation: the stable method, without QTP's periodic re-measure.
function loopBollinger(
  xs: Float64Array,
  period: number,
  k: number,
  out: Float64Array[] | undefined,
): number {
  const ring = new Float64Array(period);
  let next = 0;
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let acc = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    const old = ring[next]!;
    ring[next] = x;
    next = next + 1 === period ? 0 : next + 1;
    if (count < period) {
      count++;
      const d = x - mean;
      mean += d / count;
      m2 += d * (x - mean);
      if (count < period) continue;
    } else {
      const d = x - old;
      const before = mean;
      mean += d / period;
      m2 += d * (x - mean + old - before);
    }
    const width = k * Math.sqrt(m2 > 0 ? m2 / period : 0);
    if (out) {
      out[0]![i] = mean + width;
      out[1]![i] = mean;
      out[2]![i] = mean - width;
    } else acc += mean + width;
  }
  return acc;
}

const nanArrays = (count: number) =>
  Array.from({ length: count }, () => new Float64Array(N).fill(Number.NaN));

// ---------------------------------------------------------------- SMA(20)

const smaRef = sma(sample, 20);
summary(() => {
  group('SMA(20) streaming, 1M updates', () => {
    bench('qtp SMA.update', () => {
      const indicator = new SMA(20);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        const v = indicator.update(values[i]!);
        if (v !== undefined) acc += v;
      }
      do_not_optimize(acc);
    }).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopSmaStream(values, 20)));
    peer(
      'trading-signals SMA.update',
      smaRef,
      () => {
        const p = new tradingSignals.SMA(20);
        return collect((x) => num(p.update(x, false)));
      },
      () => {
        const p = new tradingSignals.SMA(20);
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.update(values[i]!, false) ?? 0;
        do_not_optimize(acc);
      },
    );
    peer(
      'technicalindicators SMA.nextValue',
      smaRef,
      () => {
        const p = new technicalindicators.SMA({ period: 20, values: [] });
        return collect((x) => num(p.nextValue(x)));
      },
      () => {
        const p = new technicalindicators.SMA({ period: 20, values: [] });
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.nextValue(values[i]!) ?? 0;
        do_not_optimize(acc);
      },
    );
  });
});

summary(() => {
  group('SMA(20) batch, 1M values', () => {
    bench('qtp sma()', () => do_not_optimize(sma(values, 20))).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopSmaBatch(values, 20)));
    peer(
      'technicalindicators SMA.calculate',
      smaRef,
      () => technicalindicators.SMA.calculate({ period: 20, values: samplePlain }),
      () => do_not_optimize(technicalindicators.SMA.calculate({ period: 20, values: plain })),
    );
    peer(
      '@ixjb94/indicators sma',
      smaRef,
      () => ix.sma(samplePlain, 20),
      () => do_not_optimize(ix.sma(plain, 20)),
    );
    peer(
      'indicatorts sma',
      smaRef,
      () => indicatorts.sma(samplePlain, { period: 20 }),
      () => do_not_optimize(indicatorts.sma(plain, { period: 20 })),
    );
  });
});

// ---------------------------------------------------------------- EMA(20)

const emaRef = ema(sample, 20);
summary(() => {
  group('EMA(20) streaming, 1M updates', () => {
    bench('qtp EMA.update', () => {
      const indicator = new EMA(20);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        const v = indicator.update(values[i]!);
        if (v !== undefined) acc += v;
      }
      do_not_optimize(acc);
    }).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopEmaStream(values, 20)));
    peer(
      'trading-signals EMA.update',
      emaRef,
      () => {
        const p = new tradingSignals.EMA(20);
        return collect((x) => {
          const v = p.update(x, false);
          return p.isStable ? v : Number.NaN;
        });
      },
      () => {
        const p = new tradingSignals.EMA(20);
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.update(values[i]!, false);
        do_not_optimize(acc);
      },
    );
    peer(
      'technicalindicators EMA.nextValue',
      emaRef,
      () => {
        const p = new technicalindicators.EMA({ period: 20, values: [] });
        return collect((x) => num(p.nextValue(x)));
      },
      () => {
        const p = new technicalindicators.EMA({ period: 20, values: [] });
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.nextValue(values[i]!) ?? 0;
        do_not_optimize(acc);
      },
    );
  });
});

summary(() => {
  group('EMA(20) batch, 1M values', () => {
    bench('qtp ema()', () => do_not_optimize(ema(values, 20))).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopEmaBatch(values, 20)));
    peer(
      'technicalindicators EMA.calculate',
      emaRef,
      () => technicalindicators.EMA.calculate({ period: 20, values: samplePlain }),
      () => do_not_optimize(technicalindicators.EMA.calculate({ period: 20, values: plain })),
    );
    peer(
      '@ixjb94/indicators ema',
      emaRef,
      () => ix.ema(samplePlain, 20),
      () => do_not_optimize(ix.ema(plain, 20)),
    );
    peer(
      'indicatorts ema',
      emaRef,
      () => indicatorts.ema(samplePlain, { period: 20 }),
      () => do_not_optimize(indicatorts.ema(plain, { period: 20 })),
    );
  });
});

// ---------------------------------------------------------------- RSI(14)

const rsiRef = rsi(sample, 14);
summary(() => {
  group('RSI(14) streaming, 1M updates', () => {
    bench('qtp RSI.update', () => {
      const indicator = new RSI(14);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        const v = indicator.update(values[i]!);
        if (v !== undefined) acc += v;
      }
      do_not_optimize(acc);
    }).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopRsi(values, 14, undefined)));
    peer(
      'trading-signals RSI.update',
      rsiRef,
      () => {
        const p = new tradingSignals.RSI(14);
        return collect((x) => num(p.update(x, false)));
      },
      () => {
        const p = new tradingSignals.RSI(14);
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.update(values[i]!, false) ?? 0;
        do_not_optimize(acc);
      },
    );
    peer(
      'technicalindicators RSI.nextValue',
      rsiRef,
      () => {
        const p = new technicalindicators.RSI({ period: 14, values: [] });
        return collect((x) => num(p.nextValue(x)));
      },
      () => {
        const p = new technicalindicators.RSI({ period: 14, values: [] });
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.nextValue(values[i]!) ?? 0;
        do_not_optimize(acc);
      },
    );
  });
});

summary(() => {
  group('RSI(14) batch, 1M values', () => {
    bench('qtp rsi()', () => do_not_optimize(rsi(values, 14))).baseline(true);
    bench('hand-written loop', () => {
      const out = new Float64Array(N).fill(Number.NaN, 0, 14);
      loopRsi(values, 14, out);
      do_not_optimize(out);
    });
    peer(
      'technicalindicators RSI.calculate',
      rsiRef,
      () => technicalindicators.RSI.calculate({ period: 14, values: samplePlain }),
      () => do_not_optimize(technicalindicators.RSI.calculate({ period: 14, values: plain })),
    );
    peer(
      '@ixjb94/indicators rsi',
      rsiRef,
      () => ix.rsi(samplePlain, 14),
      () => do_not_optimize(ix.rsi(plain, 14)),
    );
    peer(
      'indicatorts rsi',
      rsiRef,
      () => indicatorts.rsi(samplePlain, { period: 14 }),
      () => do_not_optimize(indicatorts.rsi(plain, { period: 14 })),
    );
  });
});

// ---------------------------------------------------------------- MACD(12, 26, 9)

const macdRef = macd(sample, 12, 26, 9);
// Compared on the histogram, which needs all three lines to agree.
summary(() => {
  group('MACD(12, 26, 9) streaming, 1M updates', () => {
    bench('qtp MACD.update', () => {
      const indicator = new MACD(12, 26, 9);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        const v = indicator.update(values[i]!);
        if (v !== undefined) acc += v.histogram;
      }
      do_not_optimize(acc);
    }).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopMacd(values, undefined)));
    const tsMacd = () =>
      new tradingSignals.MACD(
        new tradingSignals.EMA(12),
        new tradingSignals.EMA(26),
        new tradingSignals.EMA(9),
      );
    peer(
      'trading-signals MACD.update',
      macdRef.histogram,
      () => {
        const p = tsMacd();
        return collect((x) => num(p.update(x, false)?.histogram));
      },
      () => {
        const p = tsMacd();
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.update(values[i]!, false)?.histogram ?? 0;
        do_not_optimize(acc);
      },
    );
    const tiMacd = () =>
      new technicalindicators.MACD({
        values: [],
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      });
    peer(
      'technicalindicators MACD.nextValue',
      macdRef.histogram,
      () => {
        const p = tiMacd();
        return collect((x) => num(p.nextValue(x)?.histogram));
      },
      () => {
        const p = tiMacd();
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.nextValue(values[i]!)?.histogram ?? 0;
        do_not_optimize(acc);
      },
    );
  });
});

summary(() => {
  group('MACD(12, 26, 9) batch, 1M values', () => {
    bench('qtp macd()', () => do_not_optimize(macd(values, 12, 26, 9))).baseline(true);
    bench('hand-written loop', () => {
      const out = nanArrays(3);
      loopMacd(values, out);
      do_not_optimize(out);
    });
    const tiInput = (v: number[]) => ({
      values: v,
      fastPeriod: 12,
      slowPeriod: 26,
      signalPeriod: 9,
      SimpleMAOscillator: false,
      SimpleMASignal: false,
    });
    peer(
      'technicalindicators MACD.calculate',
      macdRef.histogram,
      () => technicalindicators.MACD.calculate(tiInput(samplePlain)).map((r) => r.histogram),
      () => do_not_optimize(technicalindicators.MACD.calculate(tiInput(plain))),
    );
    peer(
      '@ixjb94/indicators macd',
      macdRef.histogram,
      () => ix.macd(samplePlain, 12, 26, 9)[2]!,
      () => do_not_optimize(ix.macd(plain, 12, 26, 9)),
    );
    peer(
      'indicatorts macd',
      macdRef.histogram,
      () => {
        const r = indicatorts.macd(samplePlain, { fast: 12, slow: 26, signal: 9 });
        return r.macdLine.map((m, i) => m - r.signalLine[i]!);
      },
      () => do_not_optimize(indicatorts.macd(plain, { fast: 12, slow: 26, signal: 9 })),
    );
  });
});

// ---------------------------------------------------------------- Bollinger(20, 2)

const bbRef = bollinger(sample, 20, 2);
// Compared on the upper band, which needs the mean and the (population) deviation to agree.
summary(() => {
  group('Bollinger(20, 2) streaming, 1M updates', () => {
    bench('qtp BollingerBands.update', () => {
      const indicator = new BollingerBands(20, 2);
      let acc = 0;
      for (let i = 0; i < N; i++) {
        const v = indicator.update(values[i]!);
        if (v !== undefined) acc += v.upper;
      }
      do_not_optimize(acc);
    }).baseline(true);
    bench('hand-written loop', () => do_not_optimize(loopBollinger(values, 20, 2, undefined)));
    peer(
      'trading-signals BollingerBands.update',
      bbRef.upper,
      () => {
        const p = new tradingSignals.BollingerBands(20, 2);
        return collect((x) => num(p.update(x, false)?.upper));
      },
      () => {
        const p = new tradingSignals.BollingerBands(20, 2);
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.update(values[i]!, false)?.upper ?? 0;
        do_not_optimize(acc);
      },
    );
    peer(
      'technicalindicators BollingerBands.nextValue',
      bbRef.upper,
      () => {
        const p = new technicalindicators.BollingerBands({ period: 20, stdDev: 2, values: [] });
        return collect((x) => num(p.nextValue(x)?.upper));
      },
      () => {
        const p = new technicalindicators.BollingerBands({ period: 20, stdDev: 2, values: [] });
        let acc = 0;
        for (let i = 0; i < N; i++) acc += p.nextValue(values[i]!)?.upper ?? 0;
        do_not_optimize(acc);
      },
    );
  });
});

summary(() => {
  group('Bollinger(20, 2) batch, 1M values', () => {
    bench('qtp bollinger()', () => do_not_optimize(bollinger(values, 20, 2))).baseline(true);
    bench('hand-written loop', () => {
      const out = nanArrays(3);
      loopBollinger(values, 20, 2, out);
      do_not_optimize(out);
    });
    peer(
      'technicalindicators BollingerBands.calculate',
      bbRef.upper,
      () =>
        technicalindicators.BollingerBands.calculate({
          period: 20,
          stdDev: 2,
          values: samplePlain,
        }).map((r) => r.upper),
      () =>
        do_not_optimize(
          technicalindicators.BollingerBands.calculate({ period: 20, stdDev: 2, values: plain }),
        ),
    );
    peer(
      '@ixjb94/indicators bbands',
      bbRef.upper,
      () => ix.bbands(samplePlain, 20, 2)[2]!,
      () => do_not_optimize(ix.bbands(plain, 20, 2)),
    );
    peer(
      'indicatorts bb',
      bbRef.upper,
      () => indicatorts.bb(samplePlain, { period: 20 }).upper,
      () => do_not_optimize(indicatorts.bb(plain, { period: 20 })),
    );
  });
});
