import { type Bar, Decimal, Instrument, instrumentId, isQtpError } from '@qtp/core';
import {
  almgrenChrissCoefficients,
  almgrenChrissCost,
  calibrateImpact,
  squareRootImpact,
  squareRootSlippage,
} from '@qtp/exchange';
import { describe, expect, it } from 'vitest';

const id = instrumentId('BTCUSDT', 'BINANCE');
const MINUTE = 60_000;

function bars(closes: readonly number[], volume = 2): Bar[] {
  return closes.map((close, i) => ({
    instrumentId: id,
    interval: '1m',
    openTimeMs: i * MINUTE,
    closeTimeMs: (i + 1) * MINUTE - 1,
    open: close,
    high: close,
    low: close,
    close,
    volume,
  }));
}

describe('impact models, worked by hand', () => {
  it('takes k × σ × √(q / ADV) of the price for square-root impact', () => {
    // 1 % of the daily volume at 2 % daily volatility: 0.02 × √0.01 = 0.002.
    expect(
      squareRootImpact(10_000, { dailyVolatility: 0.02, averageDailyVolume: 1_000_000 }),
    ).toBeCloseTo(0.002, 15);
    expect(
      squareRootImpact(40_000, { dailyVolatility: 0.02, averageDailyVolume: 1_000_000 }, 0.5),
    ).toBeCloseTo(0.002, 15);
  });

  it('splits the Almgren-Chriss cost of a uniform schedule into its three parts', () => {
    // X = 1000 in 10 slices over a day: ½γX² = 5, (η − ½γτ)X²/T = (1e-4 − 5e-7) × 1e6 = 99.5,
    // εX = 10.
    const cost = almgrenChrissCost(
      1_000,
      { slices: 10, durationDays: 1 },
      { epsilon: 0.01, eta: 1e-4, gamma: 1e-5 },
    );
    expect(cost.permanent).toBeCloseTo(5, 12);
    expect(cost.temporary).toBeCloseTo(99.5, 12);
    expect(cost.fixed).toBeCloseTo(10, 12);
    expect(cost.total).toBeCloseTo(114.5, 12);
  });

  it('derives the Almgren-Chriss coefficients by the rules of thumb', () => {
    const coefficients = almgrenChrissCoefficients({
      dailyVolatility: 0.02,
      averageDailyVolume: 5_000_000,
      spread: 0.125,
      price: 50,
    });
    expect(coefficients.epsilon).toBeCloseTo(0.0625, 15);
    expect(coefficients.eta).toBeCloseTo(0.125 / 50_000, 18); // one spread per 1 % of ADV a day
    expect(coefficients.gamma).toBeCloseTo(0.125 / 500_000, 18); // one spread per 10 % of ADV
  });

  it('calibrates volatility, volume and Roll spread from bars', () => {
    // Closes bounce 100, 101, 100, 101, 100: changes +1, −1, +1, −1. The serial covariance of
    // (−1, +1, −1) against (+1, −1, +1), n − 1 = 2, is −4/3, so Roll's spread is 2√(4/3).
    const parameters = calibrateImpact(bars([100, 101, 100, 101, 100]));
    expect(parameters.spread).toBeCloseTo(2 * Math.sqrt(4 / 3), 12);
    // Log returns ±ln(1.01) with mean 0: variance 4 ln(1.01)² / 3 per minute, 1440 minutes a day.
    const r = Math.log(1.01);
    expect(parameters.dailyVolatility).toBeCloseTo(Math.sqrt(((4 * r * r) / 3) * 1440), 12);
    // Five one-minute bars of volume 2 span 5/1440 of a day.
    expect(parameters.averageDailyVolume).toBeCloseTo(10 / (5 / 1440), 9);
    expect(parameters.price).toBe(100);
  });

  it('finds no spread in a trending series, whose changes are not negatively correlated', () => {
    expect(calibrateImpact(bars([100, 101, 102, 103, 104])).spread).toBe(0);
  });

  it('refuses too few bars, bars out of order and a non-positive volume', () => {
    const codeOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return isQtpError(error, 'VALIDATION')
          ? (error as unknown as { field: string }).field
          : 'other';
      }
      return 'none';
    };
    expect(codeOf(() => calibrateImpact(bars([1, 2])))).toBe('bars');
    const shuffled = bars([1, 2, 3]);
    expect(codeOf(() => calibrateImpact([shuffled[0]!, shuffled[2]!, shuffled[1]!]))).toBe(
      'bars[2].openTimeMs',
    );
    expect(
      codeOf(() => squareRootImpact(1, { dailyVolatility: 0.02, averageDailyVolume: 0 })),
    ).toBe('averageDailyVolume');
    expect(
      codeOf(() => squareRootImpact(Number.NaN, { dailyVolatility: 0.02, averageDailyVolume: 1 })),
    ).toBe('quantity');
  });

  it('moves a taker fill by the square-root impact of its quantity', () => {
    const instrument = new Instrument({
      id,
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      priceIncrement: '0.01',
      sizeIncrement: '0.001',
    });
    const model = squareRootSlippage({
      dailyVolatility: 0.04,
      averageDailyVolume: 100,
      spread: 0,
      price: 30_000,
    });
    // 1 BTC of an ADV of 100 at 4 %: 0.04 × 0.1 = 0.4 % of 30 000 = 120.
    const move = model.slippage({
      instrument,
      side: 'BUY',
      price: new Decimal('30000'),
      quantity: new Decimal('1'),
      spread: undefined,
    });
    expect(move.toNumber()).toBeCloseTo(120, 9);
    expect(model.kind).toBe('square-root-impact');
  });
});
