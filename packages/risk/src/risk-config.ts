import { parseWith, type TradingState } from '@qtp/core';
import * as z from 'zod';

const positive = z.number().positive();
const fraction = z.number().positive().max(1);
const state = z.enum(['HALT_ENTRIES', 'REDUCE_ONLY', 'FLATTEN', 'HALTED']);

const limitSetSchema = z.strictObject({
  maxOrderQuantity: positive.exactOptional(),
  maxOrderNotional: positive.exactOptional(),
  maxPosition: positive.exactOptional(),
  maxGrossExposure: positive.exactOptional(),
  maxNetExposure: positive.exactOptional(),
  priceBand: fraction.exactOptional(),
  maxOrdersPerSecond: z.number().int().positive().exactOptional(),
  maxOpenOrders: z.number().int().nonnegative().exactOptional(),
  maxLeverage: positive.exactOptional(),
});

const breachSchema = <T extends z.ZodType>(threshold: T) =>
  z.strictObject({ limit: threshold, action: state });

const postTradeSchema = z.strictObject({
  maxDrawdown: breachSchema(fraction).exactOptional(),
  maxDailyLoss: breachSchema(positive).exactOptional(),
  maxStrategyLoss: breachSchema(positive).exactOptional(),
  dayOffsetMinutes: z.number().int().min(-720).max(840).exactOptional(),
});

const riskConfigSchema = z.strictObject({
  accountId: z.string().min(1).exactOptional(),
  account: limitSetSchema.exactOptional(),
  strategies: z.record(z.string().min(1), limitSetSchema).exactOptional(),
  instruments: z.record(z.string().min(1), limitSetSchema).exactOptional(),
  postTrade: postTradeSchema.exactOptional(),
  autoReset: z.strictObject({ coolDownMs: z.number().int().positive() }).exactOptional(),
  maxFlattenAttempts: z.number().int().positive().exactOptional(),
});

/**
 * The limits of one scope: the whole account, one strategy or one instrument. Every limit is
 * optional; a limit left out is not checked. Quantities are in the base asset, notionals and
 * exposures in the quote currency of the instruments traded, fractions between 0 and 1.
 */
export interface LimitSet {
  /** The largest quantity one order may have. */
  readonly maxOrderQuantity?: number;
  /** The largest notional (quantity × price) one order may have. */
  readonly maxOrderNotional?: number;
  /** The largest absolute position in one instrument once every open order of the scope fills. */
  readonly maxPosition?: number;
  /** The largest sum of absolute exposures once every open order of the scope fills. */
  readonly maxGrossExposure?: number;
  /** The largest absolute net exposure once every open order on one side of the scope fills. */
  readonly maxNetExposure?: number;
  /** How far a limit price may be from the last price or mid, as a fraction of it (0.05 = 5 %). */
  readonly priceBand?: number;
  /** The most orders the scope may submit within any one second of clock time. */
  readonly maxOrdersPerSecond?: number;
  /** The most orders of the scope that may be open at once, the new one included. */
  readonly maxOpenOrders?: number;
  /** The largest gross exposure as a multiple of the account's equity. */
  readonly maxLeverage?: number;
}

/** A post-trade limit: the threshold, and the state a breach puts its scope in. */
export interface BreachRule {
  /** The threshold: a fraction for drawdown, a money amount for losses. */
  readonly limit: number;
  /** The state a breach switches to. */
  readonly action: Exclude<TradingState, 'ACTIVE'>;
}

/** What the post-trade monitor watches after each fill and mark. */
export interface PostTradeLimits {
  /** Drawdown from the equity peak, as a fraction of the peak (0.1 = 10 %). */
  readonly maxDrawdown?: BreachRule;
  /** Loss since the start of the account's calendar day, in the reporting currency. */
  readonly maxDailyLoss?: BreachRule;
  /** Loss of one strategy since the start, in the reporting currency; trips that strategy only. */
  readonly maxStrategyLoss?: BreachRule;
  /** The account's calendar as minutes east of UTC, from -720 to 840 (default 0: UTC days). */
  readonly dayOffsetMinutes?: number;
}

/**
 * The configuration of a `RiskEngine`: pre-trade limits per scope, post-trade limits, and the
 * rule, if any, that resets a tripped state by itself. Unknown keys are refused, so a typo never
 * leaves a limit unchecked.
 */
export interface RiskConfig {
  /** The account id trading states and events name (default `main`). */
  readonly accountId?: string;
  /** The limits of the whole account. */
  readonly account?: LimitSet;
  /** The limits of each strategy, keyed by strategy id (the `strategy:<id>` tag of its orders). */
  readonly strategies?: Readonly<Record<string, LimitSet>>;
  /** The limits of each instrument, keyed by instrument id such as `BTCUSDT.BINANCE`. */
  readonly instruments?: Readonly<Record<string, LimitSet>>;
  /** The post-trade limits. */
  readonly postTrade?: PostTradeLimits;
  /**
   * Resets a state a rule tripped back to `ACTIVE` once this long has passed since the trip and
   * the breach is over (default none: reset is manual).
   */
  readonly autoReset?: { readonly coolDownMs: number };
  /** How many closing orders `FLATTEN` sends per position before it gives up (default 5). */
  readonly maxFlattenAttempts?: number;
}

/**
 * Checks a plain value (a file's contents, an environment's settings) and returns it as a
 * {@link RiskConfig}.
 *
 * @throws `ValidationError` naming the path, the rule and the value of every problem, such as
 * `account.maxOrderNotional: must be more than 0, was -5` or an unknown key
 * @example
 * ```ts
 * import { parseRiskConfig } from '@qtp/risk';
 * const config = parseRiskConfig({
 *   account: { maxOrderNotional: 10_000, maxOpenOrders: 20 },
 *   postTrade: { maxDailyLoss: { limit: 500, action: 'HALT_ENTRIES' } },
 * });
 * ```
 */
export function parseRiskConfig(value: unknown): RiskConfig {
  return parseWith(riskConfigSchema, value) as RiskConfig;
}

/** The names of the limits of a {@link LimitSet}, in the order the gate checks them. */
export const LIMIT_NAMES = Object.freeze([
  'maxOrderQuantity',
  'maxOrderNotional',
  'priceBand',
  'maxOpenOrders',
  'maxPosition',
  'maxGrossExposure',
  'maxNetExposure',
  'maxLeverage',
  'maxOrdersPerSecond',
] as const);

/** The name of one limit of a {@link LimitSet}. */
export type LimitName = (typeof LIMIT_NAMES)[number];
