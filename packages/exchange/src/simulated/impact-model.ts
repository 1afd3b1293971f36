import { type Bar, Decimal, ValidationError } from '@qtp/core';
import type { SlippageContext, SlippageModel } from './slippage-model.js';

const DAY_MS = 86_400_000;

/** What the impact models need to know of a market, from {@link calibrateImpact} or the host. */
export interface ImpactParameters {
  /** Daily volatility of log returns, as a fraction (0.02 is 2 % a day). */
  readonly dailyVolatility: number;
  /** Average daily volume, in the base asset. */
  readonly averageDailyVolume: number;
  /** The typical bid-ask spread, in quote units. */
  readonly spread: number;
  /** A typical price, in quote units (the last close). */
  readonly price: number;
}

function positive(field: string, value: number, allowZero = false): number {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ValidationError(
      field,
      allowZero ? 'be a finite number, 0 or more' : 'be a finite number above 0',
      value,
    );
  }
  return value;
}

/**
 * Returns the square-root impact of trading `quantity`, as a fraction of the price:
 * `k × σ_daily × √(quantity / ADV)`, the form fitted across markets in the empirical
 * literature on metaorders (k near 1).
 *
 * @throws `ValidationError` naming the parameter that is not a finite positive number
 * @example
 * ```ts
 * import { squareRootImpact } from '@qtp/exchange';
 * // 1 % of ADV at 2 % daily volatility: 1 × 0.02 × 0.1 = 0.2 % of the price
 * squareRootImpact(10_000, { dailyVolatility: 0.02, averageDailyVolume: 1_000_000 }); // 0.002
 * ```
 */
export function squareRootImpact(
  quantity: number,
  parameters: Pick<ImpactParameters, 'dailyVolatility' | 'averageDailyVolume'>,
  k = 1,
): number {
  positive('quantity', quantity, true);
  positive('k', k, true);
  const sigma = positive('dailyVolatility', parameters.dailyVolatility, true);
  const adv = positive('averageDailyVolume', parameters.averageDailyVolume);
  return k * sigma * Math.sqrt(quantity / adv);
}

/** The linear impact coefficients of the Almgren-Chriss model. */
export interface AlmgrenChrissCoefficients {
  /** Fixed cost per unit traded (half the spread plus fees), quote units. */
  readonly epsilon: number;
  /** Temporary impact per unit of trading rate (units per day), quote units × days / unit. */
  readonly eta: number;
  /** Permanent impact per unit traded, quote units / unit. */
  readonly gamma: number;
}

/**
 * Returns Almgren-Chriss coefficients from market parameters by the rules of thumb of their
 * paper: the fixed cost is half the spread; trading 1 % of the daily volume in a day costs one
 * spread of temporary impact (`eta = spread / (0.01 × ADV)`); trading 10 % of it moves the price
 * one spread for good (`gamma = spread / (0.1 × ADV)`).
 *
 * @example
 * ```ts
 * import { almgrenChrissCoefficients, calibrateImpact } from '@qtp/exchange';
 * const coefficients = almgrenChrissCoefficients(calibrateImpact(bars));
 * ```
 */
export function almgrenChrissCoefficients(parameters: ImpactParameters): AlmgrenChrissCoefficients {
  const spread = positive('spread', parameters.spread, true);
  const adv = positive('averageDailyVolume', parameters.averageDailyVolume);
  return { epsilon: spread / 2, eta: spread / (0.01 * adv), gamma: spread / (0.1 * adv) };
}

/** The expected cost of a schedule under the Almgren-Chriss model, split in its parts. */
export interface AlmgrenChrissCost {
  /** Permanent impact: `½ γ X²`. */
  readonly permanent: number;
  /** Temporary impact: `(η − ½ γ τ) Σ nₖ² / τ`. */
  readonly temporary: number;
  /** Fixed costs: `ε Σ |nₖ|`. */
  readonly fixed: number;
  /** All three, quote units. */
  readonly total: number;
}

/**
 * Returns the expected cost, in quote units, of trading `quantity` in `slices` equal pieces over
 * `durationDays` under the Almgren-Chriss linear model: `E = ½γX² + εX + (η − ½γτ) X² / T`,
 * with `τ = T / slices` (their equation for a uniform schedule).
 *
 * @throws `ValidationError` naming `quantity`, `slices` or `durationDays` when out of range
 * @example
 * ```ts
 * import { almgrenChrissCost } from '@qtp/exchange';
 * almgrenChrissCost(1_000, { slices: 10, durationDays: 1 }, { epsilon: 0.01, eta: 1e-4, gamma: 1e-5 });
 * ```
 */
export function almgrenChrissCost(
  quantity: number,
  schedule: { readonly slices: number; readonly durationDays: number },
  coefficients: AlmgrenChrissCoefficients,
): AlmgrenChrissCost {
  const x = positive('quantity', quantity, true);
  if (!Number.isSafeInteger(schedule.slices) || schedule.slices < 1) {
    throw new ValidationError('slices', 'be a whole number, 1 or more', schedule.slices);
  }
  const t = positive('durationDays', schedule.durationDays);
  const tau = t / schedule.slices;
  const { epsilon, eta, gamma } = coefficients;
  const permanent = 0.5 * gamma * x * x;
  const temporary = ((eta - 0.5 * gamma * tau) * x * x) / t;
  const fixed = epsilon * x;
  return { permanent, temporary, fixed, total: permanent + temporary + fixed };
}

/**
 * Estimates impact parameters from replayed bars: the daily volatility is the sample standard
 * deviation (n − 1) of the bars' log close-to-close returns times √(bars per day); the average
 * daily volume is the total volume over the days the bars span; the spread is Roll's estimator,
 * `2 √(−cov(Δpₜ, Δpₜ₋₁))` of the close changes (0 when that covariance is not negative); the
 * price is the last close.
 *
 * @throws `ValidationError` naming `bars` when fewer than three are given, or they are not of
 * one interval in time order
 * @example
 * ```ts
 * import { calibrateImpact } from '@qtp/exchange';
 * const parameters = calibrateImpact(bars); // { dailyVolatility, averageDailyVolume, spread, price }
 * ```
 */
export function calibrateImpact(bars: readonly Bar[]): ImpactParameters {
  if (bars.length < 3) throw new ValidationError('bars', 'hold at least 3 bars', bars.length);
  const first = bars[0]!;
  const intervalMs = first.closeTimeMs + 1 - first.openTimeMs;
  let volume = 0;
  const returns: number[] = [];
  const changes: number[] = [];
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    volume += bar.volume;
    if (i === 0) continue;
    const previous = bars[i - 1]!;
    if (bar.openTimeMs <= previous.openTimeMs) {
      throw new ValidationError(
        `bars[${i}].openTimeMs`,
        'be later than the bar before',
        bar.openTimeMs,
      );
    }
    returns.push(Math.log(bar.close / previous.close));
    changes.push(bar.close - previous.close);
  }
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance =
    returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  const barsPerDay = DAY_MS / intervalMs;
  const spanDays = (bars.at(-1)!.closeTimeMs + 1 - first.openTimeMs) / DAY_MS;
  // Roll (1984): the serial covariance of price changes is −s²/4.
  let covariance = 0;
  const n = changes.length - 1;
  if (n > 0) {
    const a = changes.slice(1);
    const b = changes.slice(0, -1);
    const meanA = a.reduce((sum, value) => sum + value, 0) / n;
    const meanB = b.reduce((sum, value) => sum + value, 0) / n;
    for (let i = 0; i < n; i++) covariance += (a[i]! - meanA) * (b[i]! - meanB);
    covariance /= n - 1 > 0 ? n - 1 : 1;
  }
  return {
    dailyVolatility: Math.sqrt(variance * barsPerDay),
    averageDailyVolume: volume / spanDays,
    spread: covariance < 0 ? 2 * Math.sqrt(-covariance) : 0,
    price: bars.at(-1)!.close,
  };
}

/**
 * Returns a slippage model that moves each taker fill by the square-root impact of its
 * quantity (`k × σ × √(q / ADV)` of the price) against the taker. It prices each fill alone: the
 * impact of a parent's earlier children does not persist.
 *
 * @throws `ValidationError` naming a parameter that is not a finite positive number
 * @example
 * ```ts
 * import { calibrateImpact, SimulatedExchange, squareRootSlippage } from '@qtp/exchange';
 * const slippage = squareRootSlippage(calibrateImpact(bars));
 * ```
 */
export function squareRootSlippage(parameters: ImpactParameters, k = 1): SlippageModel {
  squareRootImpact(0, parameters, k);
  return Object.freeze({
    kind: 'square-root-impact',
    parameters: Object.freeze({
      k,
      dailyVolatility: parameters.dailyVolatility,
      averageDailyVolume: parameters.averageDailyVolume,
    }),
    description: `slippage: taker fills move ${k} × ${parameters.dailyVolatility.toPrecision(4)} × √(quantity / ${parameters.averageDailyVolume.toPrecision(6)}) of the price against the taker, rounded to the tick`,
    slippage: (context: SlippageContext) => {
      const fraction = squareRootImpact(context.quantity.toNumber(), parameters, k);
      return context.price.times(new Decimal(String(fraction)));
    },
  });
}
