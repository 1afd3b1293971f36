import {
  type ClientOrderId,
  type Decimal,
  type EventPublisher,
  type InstrumentId,
  type OrderRequestInput,
  type OrderView,
  type PreTradeRefusal,
  ValidationError,
} from '@qtp/core';
import { above, refusal } from '../limit-checks.js';

/** The tag of the orders a {@link MarginMonitor} sends to reduce or liquidate. */
export const MARGIN_TAG = 'risk:margin';

/** The margin an instrument needs, as fractions of the position's notional. */
export interface MarginRequirement {
  /** The margin needed to open: 0.1 for 10x at most. */
  readonly initial: number;
  /** The margin needed to stay open, no more than `initial`. */
  readonly maintenance: number;
  /** The largest notional of the instrument as a multiple of equity (default `1 / initial`). */
  readonly maxLeverage?: number;
}

/** Where a margin call starts, as margin levels: equity over the maintenance margin. */
export interface MarginCallLevels {
  /** At or below it, a warning (default 1.5). */
  readonly warning: number;
  /** At or below it, the largest losing position is cut (default 1.2). */
  readonly reduce: number;
  /** At or below it, losing positions are closed, the largest loss first (default 1). */
  readonly liquidate: number;
}

/** The stage of a margin call, `none` when the margin level is above every threshold. */
export type MarginCallStage = 'none' | 'warning' | 'reduce' | 'liquidate';

/** A position as the margin monitor values it. */
export interface MarginPosition {
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The signed quantity: positive long, negative short. */
  readonly quantity: Decimal;
  /** The average entry price. */
  readonly entryPrice: number;
  /** The last price. */
  readonly mark: number;
}

/** Published on `risk.margin` when the stage of the margin call changes. */
export interface MarginCallEvent {
  /** Always `risk.margin`. */
  readonly type: 'risk.margin';
  /** The stage now. */
  readonly stage: MarginCallStage;
  /** The stage before. */
  readonly from: MarginCallStage;
  /** Equity over the maintenance margin. */
  readonly marginLevel: number;
  /** The equity evaluated. */
  readonly equity: number;
  /** The maintenance margin of every position. */
  readonly maintenanceMargin: number;
  /** The orders sent to reduce or liquidate, by client order id. */
  readonly orders: readonly ClientOrderId[];
  /** When, epoch milliseconds. */
  readonly timeMs: number;
}

/** The events a {@link MarginMonitor} publishes. */
export interface MarginEvents {
  /** The margin call's stage changed. */
  'risk.margin': MarginCallEvent;
}

/** Options of {@link MarginMonitor}. */
export interface MarginMonitorOptions {
  /** The requirement of each instrument, by instrument id. */
  requirements: Readonly<Record<string, MarginRequirement>>;
  /** The requirement of an instrument not listed (default none: such an instrument is refused). */
  defaultRequirement?: MarginRequirement;
  /** Where margin calls start (default 1.5, 1.2 and 1). */
  levels?: Partial<MarginCallLevels>;
  /** The share of the largest losing position a `reduce` call closes (default 0.5). */
  reduceFraction?: number;
  /** The order manager reducing and liquidating orders go through (default none: events only). */
  orders?: { submit(input: OrderRequestInput): OrderView };
  /** Where margin calls are published (default nowhere). */
  publisher?: EventPublisher<MarginEvents>;
}

/** What {@link MarginMonitor.evaluate} found. */
export interface MarginStatus {
  /** The initial margin of every position. */
  readonly initialMargin: number;
  /** The maintenance margin of every position. */
  readonly maintenanceMargin: number;
  /** Equity over the maintenance margin; `Infinity` with no position. */
  readonly marginLevel: number;
  /** The stage of the margin call. */
  readonly stage: MarginCallStage;
}

function checkRequirement(field: string, requirement: MarginRequirement): void {
  const { initial, maintenance } = requirement;
  if (!(initial > 0 && initial <= 1)) {
    throw new ValidationError(`${field}.initial`, 'be in (0, 1]', initial);
  }
  if (!(maintenance > 0 && maintenance <= initial)) {
    throw new ValidationError(`${field}.maintenance`, 'be in (0, initial]', maintenance);
  }
}

/**
 * Margin for a margin account: initial and maintenance margin per instrument, leverage caps,
 * the margin level (equity over maintenance margin) and staged margin calls. Each call is a
 * `risk.margin` event when its stage changes: `warning`; `reduce`, which closes
 * `reduceFraction` of the largest losing position; `liquidate`, which closes losing positions,
 * the largest loss first, until the margin level is back above the `reduce` threshold, then
 * winning ones if it is not.
 *
 * @example
 * ```ts
 * import { Decimal, instrumentId } from '@qtp/core';
 * import { MarginMonitor } from '@qtp/risk';
 * const btc = instrumentId('BTCUSDT', 'BINANCE');
 * const margin = new MarginMonitor({ requirements: { [btc]: { initial: 0.1, maintenance: 0.05 } } });
 * const status = margin.evaluate(900, [
 *   { instrumentId: btc, quantity: new Decimal(1), entryPrice: 10_000, mark: 9_000 },
 * ], 0);
 * status.marginLevel; // 900 / 450 = 2
 * ```
 */
export class MarginMonitor {
  /** Where margin calls start. */
  readonly levels: MarginCallLevels;
  readonly #options: MarginMonitorOptions;
  #orders: MarginMonitorOptions['orders'];
  #publisher: EventPublisher<MarginEvents> | undefined;
  #stage: MarginCallStage = 'none';

  /**
   * Creates a monitor with no call open.
   * @throws `ValidationError` naming the field when a requirement or a level is not valid
   */
  constructor(options: MarginMonitorOptions) {
    for (const [id, requirement] of Object.entries(options.requirements)) {
      checkRequirement(`requirements.${id}`, requirement);
    }
    if (options.defaultRequirement !== undefined) {
      checkRequirement('defaultRequirement', options.defaultRequirement);
    }
    this.levels = {
      warning: options.levels?.warning ?? 1.5,
      reduce: options.levels?.reduce ?? 1.2,
      liquidate: options.levels?.liquidate ?? 1,
    };
    const { warning, reduce, liquidate } = this.levels;
    if (!(warning > reduce && reduce > liquidate && liquidate > 0)) {
      throw new ValidationError('levels', 'be warning > reduce > liquidate > 0', this.levels);
    }
    const fraction = options.reduceFraction ?? 0.5;
    if (!(fraction > 0 && fraction <= 1)) {
      throw new ValidationError('reduceFraction', 'be in (0, 1]', fraction);
    }
    this.#options = options;
    this.#orders = options.orders;
    this.#publisher = options.publisher;
  }

  /**
   * Sets the order manager and the publisher where the options gave none; a `RiskEngine` given
   * this monitor calls it from `attach`.
   */
  bind(wiring: {
    readonly orders?: { submit(input: OrderRequestInput): OrderView };
    readonly publisher?: EventPublisher<MarginEvents>;
  }): void {
    this.#orders ??= wiring.orders;
    this.#publisher ??= wiring.publisher;
  }

  /** The stage of the margin call now. */
  get stage(): MarginCallStage {
    return this.#stage;
  }

  /**
   * Returns the requirement of an instrument.
   * @throws `ValidationError` naming `instrumentId` when it has none and there is no default
   */
  requirementOf(instrumentId: InstrumentId): MarginRequirement {
    const requirement =
      this.#options.requirements[instrumentId] ?? this.#options.defaultRequirement;
    if (requirement === undefined) {
      throw new ValidationError('instrumentId', 'have a margin requirement', instrumentId);
    }
    return requirement;
  }

  /**
   * Returns why an order of `notional` in an instrument may not open, or `undefined`: the
   * initial margin it needs beyond the equity left free (`INITIAL_MARGIN`), or the instrument's
   * notional past its leverage cap (`MAX_LEVERAGE`).
   * @param positionNotional - the absolute notional held in the instrument, the order's included
   */
  checkOrder(
    instrumentId: InstrumentId,
    notional: number,
    positionNotional: number,
    equity: number,
    positions: readonly MarginPosition[],
  ): PreTradeRefusal | undefined {
    const requirement = this.requirementOf(instrumentId);
    const used = this.#margins(positions).initialMargin;
    const needed = used + notional * requirement.initial;
    if (above(needed, equity)) {
      return refusal(
        'INITIAL_MARGIN',
        `margin.${instrumentId}.initial`,
        equity,
        needed,
        'initial margin',
      );
    }
    const cap = requirement.maxLeverage ?? 1 / requirement.initial;
    const leverage = equity > 0 ? positionNotional / equity : Number.POSITIVE_INFINITY;
    if (above(leverage, cap)) {
      return refusal(
        'MAX_LEVERAGE',
        `margin.${instrumentId}.maxLeverage`,
        cap,
        leverage,
        `leverage in ${instrumentId}`,
      );
    }
    return undefined;
  }

  #margins(positions: readonly MarginPosition[]): {
    initialMargin: number;
    maintenanceMargin: number;
  } {
    let initialMargin = 0;
    let maintenanceMargin = 0;
    for (const position of positions) {
      const notional = Math.abs(position.quantity.toNumber()) * position.mark;
      const requirement = this.requirementOf(position.instrumentId);
      initialMargin += notional * requirement.initial;
      maintenanceMargin += notional * requirement.maintenance;
    }
    return { initialMargin, maintenanceMargin };
  }

  #stageOf(level: number): MarginCallStage {
    if (level <= this.levels.liquidate) return 'liquidate';
    if (level <= this.levels.reduce) return 'reduce';
    if (level <= this.levels.warning) return 'warning';
    return 'none';
  }

  /**
   * Values the positions at their marks against `equity`, moves the margin call to its stage,
   * and on entering `reduce` or `liquidate` sends the orders that stage calls for.
   */
  evaluate(equity: number, positions: readonly MarginPosition[], timeMs: number): MarginStatus {
    const held = positions.filter((position) => !position.quantity.isZero());
    const { initialMargin, maintenanceMargin } = this.#margins(held);
    const marginLevel =
      maintenanceMargin > 0 ? equity / maintenanceMargin : Number.POSITIVE_INFINITY;
    const stage = this.#stageOf(marginLevel);
    const from = this.#stage;
    if (stage !== from) {
      this.#stage = stage;
      const orders: ClientOrderId[] = [];
      if (stage === 'reduce' && from !== 'liquidate') this.#reduce(held, orders);
      if (stage === 'liquidate') this.#liquidate(equity, held, orders);
      this.#publisher?.publish(
        'risk.margin',
        Object.freeze({
          type: 'risk.margin',
          stage,
          from,
          marginLevel,
          equity,
          maintenanceMargin,
          orders: Object.freeze(orders),
          timeMs,
        }),
      );
    }
    return { initialMargin, maintenanceMargin, marginLevel, stage };
  }

  // Losing positions, the largest loss first, then the others by notional.
  #byLoss(positions: readonly MarginPosition[]): MarginPosition[] {
    const pnl = (p: MarginPosition) => (p.mark - p.entryPrice) * p.quantity.toNumber();
    return [...positions].sort((a, b) => {
      const pa = pnl(a);
      const pb = pnl(b);
      if (pa < 0 || pb < 0) return pa - pb;
      return Math.abs(b.quantity.toNumber()) * b.mark - Math.abs(a.quantity.toNumber()) * a.mark;
    });
  }

  #reduce(positions: readonly MarginPosition[], orders: ClientOrderId[]): void {
    const [worst] = this.#byLoss(positions);
    if (worst === undefined) return;
    const fraction = this.#options.reduceFraction ?? 0.5;
    this.#close(worst, worst.quantity.abs().times(fraction), orders);
  }

  #liquidate(equity: number, positions: readonly MarginPosition[], orders: ClientOrderId[]): void {
    let maintenance = this.#margins(positions).maintenanceMargin;
    for (const position of this.#byLoss(positions)) {
      if (maintenance > 0 && equity / maintenance > this.levels.reduce) break;
      this.#close(position, position.quantity.abs(), orders);
      maintenance -=
        Math.abs(position.quantity.toNumber()) *
        position.mark *
        this.requirementOf(position.instrumentId).maintenance;
    }
  }

  #close(position: MarginPosition, quantity: Decimal, orders: ClientOrderId[]): void {
    const port = this.#orders;
    if (port === undefined || quantity.isZero()) return;
    const order = port.submit({
      instrumentId: position.instrumentId,
      side: position.quantity.isPositive() ? 'SELL' : 'BUY',
      type: 'MARKET',
      quantity,
      tags: [MARGIN_TAG],
    });
    orders.push(order.clientOrderId);
  }
}
