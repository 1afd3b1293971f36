import type { PostTradeLimits } from './risk-config.js';

const DAY_MS = 86_400_000;

/** The name of a post-trade rule. */
export type PostTradeRule = 'maxDrawdown' | 'maxDailyLoss' | 'maxStrategyLoss';

/** A post-trade limit passed: which rule, for what, its limit and the value reached. */
export interface PostTradeBreach {
  /** The rule breached. */
  readonly rule: PostTradeRule;
  /** The strategy, for `maxStrategyLoss`; absent for the account's rules. */
  readonly strategyId?: string;
  /** The configured limit. */
  readonly limit: number;
  /** The value reached: a drawdown fraction or a loss amount. */
  readonly value: number;
  /** A sentence saying what happened. */
  readonly reason: string;
}

/** Returns the index of the calendar day `timeMs` falls in, `offsetMinutes` east of UTC. */
export function calendarDay(timeMs: number, offsetMinutes: number): number {
  return Math.floor((timeMs + offsetMinutes * 60_000) / DAY_MS);
}

function round(value: number): string {
  return String(Number(value.toPrecision(10)));
}

/**
 * Watches equity and strategy P&L after each fill and mark: drawdown from the equity peak,
 * loss since the start of the account's calendar day, and each strategy's loss since the start.
 * Returns the limits passed; acting on them is the risk engine's job.
 *
 * @example
 * ```ts
 * import { PostTradeMonitor } from '@qtp/risk';
 * const monitor = new PostTradeMonitor();
 * const limits = { maxDrawdown: { limit: 0.1, action: 'FLATTEN' as const } };
 * monitor.evaluate(0, 1_000, new Map(), limits); // []
 * monitor.evaluate(60_000, 880, new Map(), limits); // [{ rule: 'maxDrawdown', value: 0.12, ... }]
 * ```
 */
export class PostTradeMonitor {
  #peak = Number.NaN;
  #day = Number.NaN;
  #dayStart = Number.NaN;
  #equity = Number.NaN;

  /** The highest equity seen since the start or the last {@link PostTradeMonitor.rebase}. */
  get peak(): number {
    return this.#peak;
  }

  /** The equity at the first evaluation of the current calendar day. */
  get dayStartEquity(): number {
    return this.#dayStart;
  }

  /** The drawdown from the peak at the last evaluation, as a fraction of the peak. */
  get drawdown(): number {
    return this.#peak > 0 ? Math.max(0, (this.#peak - this.#equity) / this.#peak) : 0;
  }

  /** The loss since the start of the day at the last evaluation (negative for a gain). */
  get dailyLoss(): number {
    return this.#dayStart - this.#equity;
  }

  /**
   * Updates the peak and the day with `equity` at `timeMs` and returns every limit passed.
   * @param strategyPnl - each strategy's P&L since the start
   */
  evaluate(
    timeMs: number,
    equity: number,
    strategyPnl: ReadonlyMap<string, number>,
    limits: PostTradeLimits,
  ): PostTradeBreach[] {
    const day = calendarDay(timeMs, limits.dayOffsetMinutes ?? 0);
    if (day !== this.#day) {
      this.#day = day;
      this.#dayStart = equity;
    }
    if (!(equity <= this.#peak)) this.#peak = equity;
    this.#equity = equity;
    const breaches: PostTradeBreach[] = [];
    const drawdownRule = limits.maxDrawdown;
    if (drawdownRule !== undefined && this.drawdown > drawdownRule.limit) {
      const value = this.drawdown;
      breaches.push({
        rule: 'maxDrawdown',
        limit: drawdownRule.limit,
        value,
        reason: `drawdown ${round(value * 100)}% from the peak ${round(this.#peak)} passed the ${round(drawdownRule.limit * 100)}% limit`,
      });
    }
    const dailyRule = limits.maxDailyLoss;
    if (dailyRule !== undefined && this.dailyLoss > dailyRule.limit) {
      const value = this.dailyLoss;
      breaches.push({
        rule: 'maxDailyLoss',
        limit: dailyRule.limit,
        value,
        reason: `daily loss ${round(value)} passed the ${round(dailyRule.limit)} limit`,
      });
    }
    const strategyRule = limits.maxStrategyLoss;
    if (strategyRule !== undefined) {
      for (const [strategyId, pnl] of strategyPnl) {
        if (-pnl <= strategyRule.limit) continue;
        breaches.push({
          rule: 'maxStrategyLoss',
          strategyId,
          limit: strategyRule.limit,
          value: -pnl,
          reason: `strategy ${strategyId} lost ${round(-pnl)}, past the ${round(strategyRule.limit)} limit`,
        });
      }
    }
    return breaches;
  }

  /** Starts the drawdown over from the last equity seen, as a reset of a tripped state does. */
  rebase(): void {
    this.#peak = this.#equity;
  }
}
