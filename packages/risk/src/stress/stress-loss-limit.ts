import {
  type InstrumentId,
  type InstrumentProvider,
  type OrderRequest,
  type PreTradeContext,
  type PreTradeDecision,
  type PreTradeGate,
  ValidationError,
} from '@qtp/core';
import type { AlignedReturns } from '../measures/aligned-returns.js';
import { worstHistoricalWindow } from './historical-window.js';
import type { StressPosition } from './stress-position.js';
import {
  parseStressScenario,
  type ShockScenario,
  type StressScenario,
  windowDurationMs,
} from './stress-scenario.js';
import { applyShocks } from './stress-test.js';

/** Options of {@link StressLossLimit}. */
export interface StressLossLimitOptions {
  /** The scenarios, parsed or as plain data; the worst of them counts. At least one. */
  readonly scenarios: readonly (StressScenario | unknown)[];
  /** The largest stressed loss allowed, greater than 0, in the currency of the mark prices. */
  readonly maxLoss: number;
  /** Returns an instrument's mark price in the report currency, `undefined` when unknown. */
  readonly markPrice: (instrumentId: string) => number | undefined;
  /** Looks up the instruments held, for their base asset (the traded one comes with the check). */
  readonly instruments: InstrumentProvider;
  /** Returns an instrument's bid-ask spread as a fraction of its price (default none). */
  readonly spread?: (instrumentId: string) => number | undefined;
  /** The aligned history historical scenarios replay; required when one is given. */
  readonly history?: AlignedReturns;
}

/** The refusal code of {@link StressLossLimit} when an order would breach the limit. */
export const STRESS_LOSS_CODE = 'MAX_STRESS_LOSS';
/** The refusal code of {@link StressLossLimit} when a holding cannot be priced or identified. */
export const STRESS_UNPRICED_CODE = 'STRESS_UNPRICED';

/**
 * A pre-trade gate that refuses an order when, had it and every open order filled, the worst
 * loss across the stress scenarios would exceed `maxLoss` and be larger than without it. Orders
 * that lower the stressed loss always pass, so a book already past the limit can be reduced.
 * Positions come from the context's `PositionView` (flat without one); the order is valued at its
 * limit price when it has one, else at the mark. A holding with no mark price or unknown
 * instrument refuses the order (fails closed) with code `STRESS_UNPRICED`.
 *
 * @example
 * ```ts
 * import type { InstrumentProvider } from '@qtp/core';
 * import { StressLossLimit } from '@qtp/risk';
 * declare const instruments: InstrumentProvider;
 * const marks = new Map([['BTCUSDT.BINANCE', 60_000]]);
 * const gate = new StressLossLimit({
 *   scenarios: [
 *     { kind: 'shocks', name: 'BTC -30 %', shocks: [{ scope: 'asset', asset: 'BTC', priceChange: -0.3 }] },
 *   ],
 *   maxLoss: 25_000,
 *   markPrice: (id) => marks.get(id),
 *   instruments,
 * });
 * // Give it to the order manager as its gate: with BTC at 60000, -30 % loses 18000 a BTC, so a
 * // buy taking the position past 1.389 BTC is refused with
 * // { code: 'MAX_STRESS_LOSS', field: 'maxStressLoss', configured: '25000', attempted: ... }.
 * ```
 */
export class StressLossLimit implements PreTradeGate {
  private readonly scenarios: readonly StressScenario[];
  private readonly maxLoss: number;
  private readonly markPrice: (instrumentId: string) => number | undefined;
  private readonly instruments: InstrumentProvider;
  private readonly spread: (instrumentId: string) => number | undefined;
  private readonly history: AlignedReturns | undefined;

  /**
   * Creates the gate, parsing its scenarios.
   * @throws ValidationError when a scenario does not parse, there is none, `maxLoss` is not a
   *   positive number, or a historical scenario is given without history
   */
  constructor(options: StressLossLimitOptions) {
    if (!Array.isArray(options.scenarios) || options.scenarios.length === 0) {
      throw new ValidationError('scenarios', 'list at least one scenario', options.scenarios);
    }
    this.scenarios = options.scenarios.map((scenario, i) => {
      try {
        return parseStressScenario(scenario);
      } catch (error) {
        throw new ValidationError('scenarios', `each parse (scenario ${i} does not)`, scenario, {
          cause: error,
        });
      }
    });
    if (!Number.isFinite(options.maxLoss) || options.maxLoss <= 0) {
      throw new ValidationError('maxLoss', 'be a finite number above 0', options.maxLoss);
    }
    if (options.history === undefined && this.scenarios.some((s) => s.kind === 'historical')) {
      throw new ValidationError('history', 'be given with a historical scenario', undefined);
    }
    this.maxLoss = options.maxLoss;
    this.markPrice = options.markPrice;
    this.instruments = options.instruments;
    this.spread = options.spread ?? (() => undefined);
    this.history = options.history;
  }

  /** Returns whether `request` keeps the worst stressed loss within the limit. */
  check(request: OrderRequest, context: PreTradeContext): PreTradeDecision {
    const quantities = new Map<InstrumentId, number>();
    const add = (id: InstrumentId, quantity: number) =>
      quantities.set(id, (quantities.get(id) ?? 0) + quantity);
    for (const [id, quantity] of context.positions?.netQuantities() ?? []) {
      add(id, quantity.toNumber());
    }
    for (const order of context.openOrders) {
      const remaining = order.remainingQuantity.toNumber();
      add(order.instrumentId, order.side === 'BUY' ? remaining : -remaining);
    }
    const before = new Map(quantities);
    const signed = request.quantity.toNumber() * (request.side === 'BUY' ? 1 : -1);
    add(request.instrumentId, signed);

    const priced = this.positionsOf(quantities, request, context);
    if (typeof priced === 'string') return unpriced(priced);
    const after = this.worstLoss(priced);
    if (after.loss <= this.maxLoss) return { approved: true };
    const previous = this.positionsOf(before, request, context);
    if (typeof previous !== 'string' && this.worstLoss(previous).loss >= after.loss) {
      return { approved: true };
    }
    const attempted = formatAmount(after.loss);
    const configured = formatAmount(this.maxLoss);
    return {
      approved: false,
      reason: {
        code: STRESS_LOSS_CODE,
        message: `stressed loss ${attempted} in scenario "${after.scenario}" above the limit ${configured}`,
        field: 'maxStressLoss',
        configured,
        attempted,
      },
    };
  }

  // Returns the holdings to stress, or the instrument id that could not be priced or identified.
  private positionsOf(
    quantities: ReadonlyMap<InstrumentId, number>,
    request: OrderRequest,
    context: PreTradeContext,
  ): StressPosition[] | string {
    const positions: StressPosition[] = [];
    for (const [instrumentId, quantity] of quantities) {
      if (quantity === 0) continue;
      const traded = instrumentId === request.instrumentId;
      const asset = traded
        ? context.instrument.baseAsset
        : this.instruments.get(instrumentId)?.baseAsset;
      const mark = this.markPrice(instrumentId);
      const price = traded ? (request.price?.toNumber() ?? mark) : mark;
      if (asset === undefined || price === undefined || !(price > 0)) return instrumentId;
      const spread = this.spread(instrumentId);
      positions.push(
        spread === undefined
          ? { instrumentId, asset, quantity, price }
          : { instrumentId, asset, quantity, price, spread },
      );
    }
    return positions;
  }

  private worstLoss(positions: readonly StressPosition[]): { loss: number; scenario: string } {
    let worst = { loss: 0, scenario: this.scenarios[0]!.name };
    for (const scenario of this.scenarios) {
      const report = applyShocks(positions, this.shocksOf(scenario, positions));
      if (report.loss > worst.loss) worst = { loss: report.loss, scenario: scenario.name };
    }
    return worst;
  }

  private shocksOf(scenario: StressScenario, positions: readonly StressPosition[]): ShockScenario {
    if (scenario.kind === 'shocks') return scenario;
    if (positions.length === 0) return { kind: 'shocks', name: scenario.name, shocks: [] };
    const window = worstHistoricalWindow(
      this.history!,
      positions,
      windowDurationMs(scenario.window),
    );
    return {
      kind: 'shocks',
      name: scenario.name,
      shocks: Object.entries(window.priceChanges).map(([asset, priceChange]) => ({
        scope: 'asset' as const,
        asset,
        priceChange,
      })),
    };
  }
}

function unpriced(instrumentId: string): PreTradeDecision {
  return {
    approved: false,
    reason: {
      code: STRESS_UNPRICED_CODE,
      message: `no mark price or instrument for ${instrumentId}: the stressed loss cannot be measured`,
      field: 'markPrice',
      attempted: instrumentId,
    },
  };
}

// Twelve significant digits: enough to compare with the limit, without binary noise.
function formatAmount(value: number): string {
  return String(Number(value.toPrecision(12)));
}
