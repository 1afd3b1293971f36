import { ValidationError } from '@qtp/core';
import type { AlignedReturns } from '../measures/aligned-returns.js';
import { type HistoricalWindow, worstHistoricalWindow } from './historical-window.js';
import { checkPositions, type StressPosition } from './stress-position.js';
import {
  parseStressScenario,
  type ShockScenario,
  type StressScenario,
  type StressShock,
  windowDurationMs,
} from './stress-scenario.js';

/** One position's result under a scenario. */
export interface StressPositionResult {
  /** The instrument held. */
  readonly instrumentId: string;
  /** Its base asset. */
  readonly asset: string;
  /** The signed quantity. */
  readonly quantity: number;
  /** The mark price before the shock. */
  readonly price: number;
  /** The relative price move applied (0 when no shock set one). */
  readonly priceChange: number;
  /** The price after the shock: price x (1 + priceChange). */
  readonly shockedPrice: number;
  /** The spread multiplier applied (1 when no shock set one). */
  readonly spreadMultiplier: number;
  /** quantity x (shockedPrice - price): the move's profit or loss. */
  readonly pricePnl: number;
  /** |quantity| x shockedPrice x spread x spreadMultiplier / 2: what closing would cost, at least 0. */
  readonly closingCost: number;
  /** pricePnl - closingCost. */
  readonly pnl: number;
}

/** What a stress scenario does to a set of holdings. */
export interface StressReport {
  /** The scenario's name. */
  readonly scenario: string;
  /** Per position, in the order given, its stressed result. */
  readonly positions: readonly StressPositionResult[];
  /** The sum of the positions' P&L, negative for a loss. */
  readonly totalPnl: number;
  /** The loss, max(0, -totalPnl). */
  readonly loss: number;
  /** For a historical scenario, the window replayed. */
  readonly window?: HistoricalWindow;
}

/** Options of {@link runStressTest}. */
export interface StressTestOptions {
  /** The aligned history a historical scenario replays; required for one. */
  readonly history?: AlignedReturns;
}

/**
 * Returns what a stress scenario does to a set of holdings: per position and in total, the P&L
 * of the price move plus the cost of closing at the stressed spread. For each position, and
 * separately for its price move and its spread multiplier, the most specific shock that sets the
 * figure applies (instrument, then asset, then group, then all; the first listed among equals).
 * A historical scenario replays the holdings' worst window of its length in `history`: each asset
 * moves as it moved then, spreads unchanged.
 *
 * @param positions - the holdings, with mark prices in one currency
 * @param scenario - a parsed {@link StressScenario} or its plain data, which is parsed
 * @param options - the history a historical scenario needs
 * @throws ValidationError when a position is malformed, the scenario does not parse, or a
 *   historical scenario has no history or the history misses a held asset
 * @example
 * ```ts
 * import { runStressTest } from '@qtp/risk';
 * const report = runStressTest(
 *   [
 *     { instrumentId: 'BTCUSDT.BINANCE', asset: 'BTC', quantity: 2, price: 60_000, spread: 0.0002 },
 *     { instrumentId: 'SOLUSDT.BINANCE', asset: 'SOL', quantity: -100, price: 150 },
 *   ],
 *   {
 *     kind: 'shocks',
 *     name: 'BTC -30 %, alts -50 %, spreads x5',
 *     shocks: [
 *       { scope: 'asset', asset: 'BTC', priceChange: -0.3 },
 *       { scope: 'all', exceptAssets: ['BTC'], priceChange: -0.5 },
 *       { scope: 'all', spreadMultiplier: 5 },
 *     ],
 *   },
 * );
 * report.totalPnl; // -36000 + 7500 - 42 (closing 2 BTC at 42000, 5 x 2 bp / 2) = -28542
 * ```
 */
export function runStressTest(
  positions: readonly StressPosition[],
  scenario: StressScenario | unknown,
  options: StressTestOptions = {},
): StressReport {
  checkPositions(positions);
  const parsed = parseStressScenario(scenario);
  if (parsed.kind === 'shocks') return applyShocks(positions, parsed);
  const history = options.history;
  if (history === undefined) {
    throw new ValidationError(
      'history',
      `be given to replay the historical scenario "${parsed.name}"`,
      history,
    );
  }
  const window = worstHistoricalWindow(history, positions, windowDurationMs(parsed.window));
  const shocks: StressShock[] = Object.entries(window.priceChanges).map(([asset, change]) => ({
    scope: 'asset',
    asset,
    priceChange: change,
  }));
  const report = applyShocks(positions, { kind: 'shocks', name: parsed.name, shocks });
  return { ...report, window };
}

const SPECIFICITY = { instrument: 0, asset: 1, group: 2, all: 3 } as const;

function matches(shock: StressShock, position: StressPosition, scenario: ShockScenario): boolean {
  switch (shock.scope) {
    case 'instrument':
      return shock.instrumentId === position.instrumentId;
    case 'asset':
      return shock.asset === position.asset;
    case 'group':
      return scenario.groups?.[shock.group]?.includes(position.asset) ?? false;
    case 'all':
      return !(shock.exceptAssets?.includes(position.asset) ?? false);
  }
}

/** Applies a parsed scenario of shocks to checked positions. */
export function applyShocks(
  positions: readonly StressPosition[],
  scenario: ShockScenario,
): StressReport {
  const ordered = [...scenario.shocks].sort((a, b) => SPECIFICITY[a.scope] - SPECIFICITY[b.scope]);
  let totalPnl = 0;
  const results = positions.map((position) => {
    let priceChange: number | undefined;
    let spreadMultiplier: number | undefined;
    for (const shock of ordered) {
      if (!matches(shock, position, scenario)) continue;
      priceChange ??= shock.priceChange;
      spreadMultiplier ??= shock.spreadMultiplier;
      if (priceChange !== undefined && spreadMultiplier !== undefined) break;
    }
    const change = priceChange ?? 0;
    const multiplier = spreadMultiplier ?? 1;
    const shockedPrice = position.price * (1 + change);
    const pricePnl = position.quantity * (shockedPrice - position.price);
    const closingCost =
      (Math.abs(position.quantity) * shockedPrice * (position.spread ?? 0) * multiplier) / 2;
    const pnl = pricePnl - closingCost;
    totalPnl += pnl;
    return {
      instrumentId: position.instrumentId,
      asset: position.asset,
      quantity: position.quantity,
      price: position.price,
      priceChange: change,
      shockedPrice,
      spreadMultiplier: multiplier,
      pricePnl,
      closingCost,
      pnl,
    };
  });
  return { scenario: scenario.name, positions: results, totalPnl, loss: Math.max(0, -totalPnl) };
}
