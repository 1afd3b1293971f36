import * as z from 'zod';
import { parseWith } from '../zod-errors.js';

/**
 * What an account, strategy or instrument may trade, from least to most restricted.
 *
 * - `ACTIVE`: everything.
 * - `HALT_ENTRIES`: nothing that opens or grows a position; reducing orders and cancels go out.
 * - `REDUCE_ONLY`: only orders that reduce a position without flipping it.
 * - `FLATTEN`: open orders are being cancelled and positions closed; then `HALTED`.
 * - `HALTED`: nothing but cancels.
 */
export type TradingState = 'ACTIVE' | 'HALT_ENTRIES' | 'REDUCE_ONLY' | 'FLATTEN' | 'HALTED';

/** Every trading state, from least to most restricted. */
export const TRADING_STATES: readonly TradingState[] = Object.freeze([
  'ACTIVE',
  'HALT_ENTRIES',
  'REDUCE_ONLY',
  'FLATTEN',
  'HALTED',
]);

/** What a trading state applies to: the whole account, one strategy or one instrument. */
export interface TradingStateScope {
  /** The kind of scope. */
  readonly kind: 'account' | 'strategy' | 'instrument';
  /** The account, strategy or instrument id. */
  readonly id: string;
}

/** The bus topic of {@link TradingStateChangedEvent}. */
export const TRADING_STATE_TOPIC = 'risk.state';

/**
 * Published on `risk.state` whenever a scope's trading state changes, saying who or what set it
 * and why, so a dashboard, a log or another process can follow the risk engine.
 *
 * @example
 * ```ts
 * import { parseTradingStateChangedEvent } from '@qtp/core';
 *
 * const event = parseTradingStateChangedEvent({
 *   type: 'risk.state',
 *   scope: { kind: 'account', id: 'main' },
 *   from: 'ACTIVE',
 *   to: 'HALT_ENTRIES',
 *   setBy: 'rule:dailyLoss',
 *   reason: 'daily loss 5.2% passed the 5% limit',
 *   timeMs: 1_700_000_000_000,
 * });
 * ```
 */
export interface TradingStateChangedEvent {
  /** Always `risk.state`. */
  readonly type: 'risk.state';
  /** What the state applies to. */
  readonly scope: TradingStateScope;
  /** The state before. */
  readonly from: TradingState;
  /** The state after. */
  readonly to: TradingState;
  /** Who or what set it: an operator's name, or `rule:<name>` for an automatic trip. */
  readonly setBy: string;
  /** Why, in a sentence. */
  readonly reason: string;
  /** When, epoch milliseconds of the clock. */
  readonly timeMs: number;
}

const tradingStateSchema = z.enum(['ACTIVE', 'HALT_ENTRIES', 'REDUCE_ONLY', 'FLATTEN', 'HALTED']);

const tradingStateChangedSchema = z.strictObject({
  type: z.literal('risk.state'),
  scope: z.strictObject({
    kind: z.enum(['account', 'strategy', 'instrument']),
    id: z.string().min(1),
  }),
  from: tradingStateSchema,
  to: tradingStateSchema,
  setBy: z.string().min(1),
  reason: z.string(),
  timeMs: z.number().int().nonnegative(),
});

/**
 * Checks a plain JSON value (for example one that crossed a process boundary) and returns it as a
 * {@link TradingStateChangedEvent}.
 *
 * @throws `ValidationError` naming the field and the rule when the value is not one.
 */
export function parseTradingStateChangedEvent(value: unknown): TradingStateChangedEvent {
  return parseWith(tradingStateChangedSchema, value);
}
