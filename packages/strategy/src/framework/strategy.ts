import {
  type Bar,
  type BookDelta,
  type BookSnapshot,
  type ClientOrderId,
  compareDecimals,
  createBarEvent,
  createOrderRequest,
  Decimal,
  type DecimalInput,
  type ExecutionAlgorithm,
  type Fill,
  type Instrument,
  type InstrumentId,
  isQtpError,
  isTerminalOrderStatus,
  type Logger,
  type MarketDataEvent,
  type OrderDenial,
  type OrderDeniedEvent,
  OrderNotFoundError,
  type OrderReport,
  type OrderRequest,
  type OrderRequestInput,
  type OrderSide,
  type OrderStatus,
  type ParentOrderView,
  parseWith,
  type QuoteTick,
  type TimeInForce,
  type TimerId,
  type TradeTick,
  toClientOrderId,
  toDecimal,
  ValidationError,
} from '@qtp/core';
import type { z } from 'zod';
import type { Indicator } from '../indicators/types.js';
import { BarWindow } from './bar-window.js';
import { BracketBook, type BracketOrderOptions, type StrategyBracket } from './bracket.js';
import type { StrategyHook, StrategyInputEvent, TimerEvent } from './events.js';
import { EXECUTION_TIMER_PREFIX, ExecutionBook } from './executions.js';
import { type LocalStop, LocalStopBook } from './local-stops.js';
import { assertNotAhead } from './look-ahead-error.js';
import { toOrderQuantity } from './sizing.js';
import type { StrategyContext, StrategyPortfolio } from './strategy-context.js';

/** What a host or a registry passes to a strategy's constructor. */
export interface StrategyOptions {
  /** The strategy's id, unique within a manager: 1 to 64 of `A-Z a-z 0-9 . _ -`. */
  id: string;
  /** The raw parameters, checked against the strategy's schema (default `{}`). */
  params?: unknown;
}

/** What a subclass tells the base class about itself, as the second argument of `super`. */
export interface StrategyDefinition<Params> {
  /** The zod schema of the parameters; its output is `this.params`. */
  schema: z.ZodType<Params>;
  /** How many bars per instrument `bars()` keeps (default 500). */
  historySize?: number;
  /** Bars to see before `onBar` runs, on top of every registered indicator being ready (default 0). */
  warmUpBars?: number;
}

/** Where a strategy is in its lifecycle. */
export type StrategyState = 'created' | 'running' | 'stopped' | 'failed';

/** One of a strategy's orders, as it last heard of it. */
export interface StrategyOrder {
  /** The client order id. */
  readonly clientOrderId: ClientOrderId;
  /** The request as submitted. */
  readonly request: OrderRequest;
  /** The last status reported (`SUBMITTED` until the venue answers). */
  readonly status: OrderStatus;
  /** The quantity filled so far, in the base asset. */
  readonly filledQuantity: Decimal;
}

/** Options of `Strategy.buy`, `Strategy.sell` and `Strategy.targetPosition`. */
export interface StrategyOrderOptions {
  /** A limit price: the order is LIMIT when given, MARKET otherwise. */
  price?: DecimalInput;
  /** How long the order stays working (default IOC for MARKET, GTC for LIMIT). */
  timeInForce?: TimeInForce;
  /** Whether the order may only reduce a position. */
  reduceOnly?: boolean;
  /** A client order id of the strategy's choosing (default: the sink assigns one). */
  clientOrderId?: ClientOrderId;
  /** Extra labels; the strategy adds `strategy:<id>` itself. */
  tags?: readonly string[];
}

/** Options of `Strategy.stopOrder`. */
export interface StopOrderOptions {
  /** A limit price once triggered: STOP_LIMIT when given, STOP_MARKET otherwise. */
  limitPrice?: DecimalInput;
  /** How long the order stays working (default GTC). */
  timeInForce?: TimeInForce;
  /** Whether the order may only reduce a position. */
  reduceOnly?: boolean;
  /** Extra labels; the strategy adds `strategy:<id>` itself. */
  tags?: readonly string[];
}

/** Options of `Strategy.indicator`. */
export interface IndicatorOptions {
  /** Updates the indicator with this instrument's bars only (default: every bar delivered). */
  instrumentId?: InstrumentId;
}

/** The inputs one `update` of indicator `T` takes, such as `[value: number]` for an SMA. */
export type IndicatorInputs<T> = T extends Indicator<infer Inputs, unknown> ? Inputs : never;

/**
 * What an inputs selector of indicator `T` may return: its inputs as a tuple, or, for an
 * indicator of one input, that number alone (which spares an array per bar).
 */
export type IndicatorSelection<T> =
  | [...IndicatorInputs<T>]
  | (IndicatorInputs<T> extends [number] ? number : never);

/** A `targetPosition` call whose change was too small to send: see `Strategy.targetsBelowLot`. */
export interface TargetBelowLot {
  /** The instrument of the call. */
  readonly instrumentId: InstrumentId;
  /** The position asked for, as a decimal string. */
  readonly target: string;
  /** The change it needed (target minus position and pending orders), as a decimal string. */
  readonly change: string;
  /** The instrument's minimum order quantity. */
  readonly minQuantity: string;
  /** The instrument's lot size. */
  readonly sizeIncrement: string;
}

/**
 * A numeric field of a bar, which `Strategy.indicator` can feed to an indicator of one input
 * without an inputs selector: `this.indicator(new SMA(20), 'close')`.
 */
export type BarField = 'open' | 'high' | 'low' | 'close' | 'volume';

// The bar fields as small codes, so a bar's field is read by a switch of plain property loads.
const BAR_FIELDS: readonly BarField[] = ['open', 'high', 'low', 'close', 'volume'];
// The code of an indicator fed by its inputs selector.
const SELECTED = -1;

function barField(bar: Bar, field: number): number {
  switch (field) {
    case 0:
      return bar.open;
    case 1:
      return bar.high;
    case 2:
      return bar.low;
    case 3:
      return bar.close;
    default:
      return bar.volume;
  }
}

interface RegisteredIndicator {
  readonly indicator: Indicator<readonly number[], unknown>;
  // Used when `field` is SELECTED.
  readonly select: ((bar: Bar) => readonly number[] | number) | undefined;
  // A code of BAR_FIELDS, or SELECTED.
  readonly field: number;
  readonly instrumentId: InstrumentId | undefined;
}

// Feeds one selection to an indicator without spreading an array for the common arities.
function feed(
  indicator: Indicator<readonly number[], unknown>,
  inputs: readonly number[] | number,
  revision: boolean,
): void {
  const target = indicator as unknown as {
    update(...values: number[]): unknown;
    replace(...values: number[]): unknown;
  };
  if (typeof inputs === 'number') {
    if (revision) target.replace(inputs);
    else target.update(inputs);
    return;
  }
  switch (inputs.length) {
    case 1:
      if (revision) target.replace(inputs[0]!);
      else target.update(inputs[0]!);
      return;
    case 2:
      if (revision) target.replace(inputs[0]!, inputs[1]!);
      else target.update(inputs[0]!, inputs[1]!);
      return;
    case 3:
      if (revision) target.replace(inputs[0]!, inputs[1]!, inputs[2]!);
      else target.update(inputs[0]!, inputs[1]!, inputs[2]!);
      return;
    default:
      if (revision) target.replace(...inputs);
      else target.update(...inputs);
  }
}

interface TrackedOrder {
  readonly clientOrderId: ClientOrderId;
  readonly request: OrderRequest;
  status: OrderStatus;
  reportedFilled: Decimal;
  filledByFills: Decimal;
  cancelRequested: boolean;
  // The trade ids of its fills: most orders fill once, so one id until a second one comes.
  tradeIds: string | Set<string> | undefined;
}

// True when the order has a fill with this trade id.
function hasTradeId(order: TrackedOrder, tradeId: string): boolean {
  const ids = order.tradeIds;
  return typeof ids === 'string' ? ids === tradeId : ids?.has(tradeId) === true;
}

function addTradeId(order: TrackedOrder, tradeId: string): void {
  const ids = order.tradeIds;
  if (ids === undefined) order.tradeIds = tradeId;
  else if (typeof ids === 'string') order.tradeIds = new Set([ids, tradeId]);
  else ids.add(tradeId);
}

type QueuedEvent = StrategyInputEvent | TimerEvent;

const STRATEGY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Fills may trail their order's terminal update; this many closed orders stay known for them.
const CLOSED_ORDERS_KEPT = 256;
// How many targets given as strings stay parsed.
const TARGETS_KEPT = 16;
const ZERO = new Decimal(0);

function checkCount(field: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new ValidationError(field, `be an integer >= ${min}`, value);
  }
  return value;
}

function parseParams<Params>(schema: z.ZodType<Params>, input: unknown): Params {
  try {
    return parseWith(schema, input ?? {});
  } catch (error) {
    if (!isQtpError(error, 'VALIDATION')) throw error;
    // The path is prefixed so the message says where the bad value sits: `params.fastPeriod`.
    const issues = (error as ValidationError).issues.map((issue) => ({
      ...issue,
      field: issue.field === '(root)' ? 'params' : `params.${issue.field}`,
    }));
    throw new ValidationError(issues, undefined, undefined, { cause: error });
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

// Set by `Strategy`'s static block: how a host that has checked an event's time against
// `context.clock` for all its strategies delivers it without each checking it again. A strategy
// started on another context checks it itself.
let deliverChecked: (
  strategy: Strategy<object>,
  event: StrategyInputEvent,
  context: StrategyContext,
) => void;

let deliverBarChecked: (strategy: Strategy<object>, bar: Bar, context: StrategyContext) => void;

/**
 * Delivers `event` as {@link Strategy.handle} does, without checking its time again when the
 * strategy runs on `context`, whose clock the caller has checked it against.
 * @internal
 */
export function deliverTimeChecked(
  strategy: Strategy<object>,
  event: StrategyInputEvent,
  context: StrategyContext,
): void {
  deliverChecked(strategy, event, context);
}

/**
 * Delivers a bar as {@link deliverTimeChecked} delivers `createBarEvent(bar)`, building the
 * event only when the strategy needs one: to queue it, or for the stops and execution
 * algorithms it watches.
 * @internal
 */
export function deliverBarTimeChecked(
  strategy: Strategy<object>,
  bar: Bar,
  context: StrategyContext,
): void {
  deliverBarChecked(strategy, bar, context);
}

/**
 * The base class of every strategy. A subclass gives a zod schema for its parameters, registers
 * its indicators once (as fields), and overrides the hooks it needs: `onStart`, `onBar`,
 * `onTradeTick`, `onQuote`, `onBook`, `onBookDelta`, `onOrderUpdate`, `onFill`, `onOrderDenied`,
 * `onTimer`, `onStop`.
 *
 * - **Parameters** are checked when the strategy is built; a bad one throws a
 *   {@link @qtp/core!ValidationError} naming its path and rule, such as
 *   `params.fastPeriod: must be at least 1, was 0`.
 * - **Indicators** registered with {@link Strategy.indicator} are updated with each bar before
 *   any hook sees it; a bar with the same open time as the last one of its instrument revises it
 *   (the indicators' `replace`).
 * - **Warm-up**: `onBar` is not called until the strategy is warm ({@link Strategy.isWarm}):
 *   every registered indicator is ready and `warmUpBars` bars have been seen. Bars during warm-up
 *   still feed the indicators and the history. Other hooks run from the start.
 * - **No look-ahead**: a strategy sees only what its host delivered. {@link Strategy.handle}
 *   refuses an event stamped after the clock's time with a {@link LookAheadError}, and the
 *   history ({@link Strategy.bars}) holds only bars delivered so far.
 * - **Orders** go through {@link Strategy.submitOrder}, the `buy`/`sell` shorthands and
 *   {@link Strategy.targetPosition}; quantities are booked decimals (`Decimal` or string), and
 *   {@link Strategy.quantity} turns a computed `number` into one, rounded down to the step.
 * - **Failures**: a hook that throws stops the strategy: its state becomes `failed`, its timers
 *   are canceled, and a `strategy.failed` event is published; `handle` does not rethrow, so
 *   the host's other strategies go on.
 *
 * Events that arrive while a hook runs (an order sink that reports synchronously) are queued
 * and delivered after it returns, so hooks never nest.
 *
 * @typeParam Params - the parameters, as the schema outputs them
 * @example
 * ```ts
 * import { z } from 'zod';
 * import type { Bar } from '@qtp/core';
 * import { SMA, Strategy, type StrategyOptions } from '@qtp/strategy';
 *
 * const schema = z.strictObject({
 *   instrumentId: z.string().transform((id) => id as InstrumentId),
 *   period: z.int().min(2).default(20),
 * });
 *
 * class AboveAverage extends Strategy<z.output<typeof schema>> {
 *   private readonly average = this.indicator(new SMA(this.params.period), (bar) => bar.close);
 *
 *   constructor(options: StrategyOptions) {
 *     super(options, { schema });
 *   }
 *
 *   protected override onBar(bar: Bar): void {
 *     const above = bar.close > this.average.value!;
 *     this.targetPosition(this.params.instrumentId, above ? '1' : '0');
 *   }
 * }
 * ```
 */
export abstract class Strategy<Params extends object = Record<string, never>> {
  /** The strategy's id. */
  readonly id: string;
  /** The checked parameters. */
  readonly params: Readonly<Params>;
  /** How many bars per instrument {@link Strategy.bars} keeps. */
  readonly historySize: number;
  /** Bars to see before `onBar` runs, on top of every indicator being ready. */
  readonly warmUpBars: number;

  #state: StrategyState = 'created';
  #error: unknown;
  #context: StrategyContext | undefined;
  #logger: Logger | undefined;
  readonly #indicators: RegisteredIndicator[] = [];
  readonly #windows = new Map<InstrumentId, BarWindow>();
  #lastWindowId: InstrumentId | undefined;
  #lastWindow: BarWindow | undefined;
  #barsSeen = 0;
  #targetsBelowLot = 0;
  #firstTargetBelowLot: TargetBelowLot | undefined;
  #warm = false;
  readonly #orders = new Map<ClientOrderId, TrackedOrder>();
  readonly #closed = new Map<ClientOrderId, TrackedOrder>();
  readonly #timers = new Map<TimerId, string>();
  readonly #targets = new Map<string, Decimal>();
  // The tag every order of the strategy carries.
  readonly #tag: string;
  readonly #queue: QueuedEvent[] = [];
  #busy = false;
  #deniedCount = 0;
  #localCount = 0;
  #parentCount = 0;
  readonly #executions = new ExecutionBook();
  readonly #stops = new LocalStopBook();
  readonly #brackets = new BracketBook({
    holdStop: (instrumentId, side, quantity, trigger, limit, tags) =>
      this.#holdStop(instrumentId, side, quantity, trigger, {
        ...(limit === undefined ? {} : { limitPrice: limit }),
        tags,
      }),
    fire: (stop) => this.#fireStop(stop),
    placeLimit: (instrumentId, side, quantity, price, tags) =>
      this.submitOrder({ instrumentId, side, type: 'LIMIT', quantity, price, tags }),
    cancel: (clientOrderId) => {
      if (this.#stops.get(clientOrderId) !== undefined || this.#orders.has(clientOrderId)) {
        this.cancelOrder(clientOrderId);
      }
    },
  });

  /**
   * Checks the options and the parameters.
   * @param options - the id and raw parameters, from the host or a registry
   * @param definition - the subclass's schema and history settings
   * @throws {@link @qtp/core!ValidationError} naming `id`, `historySize`, `warmUpBars` or
   * `params.<path>` when one is invalid
   */
  constructor(options: StrategyOptions, definition: StrategyDefinition<Params>) {
    if (typeof options?.id !== 'string' || !STRATEGY_ID.test(options.id)) {
      throw new ValidationError('id', 'be 1 to 64 characters of A-Z a-z 0-9 . _ -', options?.id);
    }
    this.id = options.id;
    this.#tag = `strategy:${this.id}`;
    this.historySize = checkCount('historySize', definition.historySize ?? 500, 1);
    this.warmUpBars = checkCount('warmUpBars', definition.warmUpBars ?? 0, 0);
    this.params = Object.freeze(parseParams(definition.schema, options.params));
  }

  /** Where the strategy is in its lifecycle. */
  get state(): StrategyState {
    return this.#state;
  }

  /** What the failing hook threw, once the state is `failed`; `undefined` before. */
  get error(): unknown {
    return this.#error;
  }

  /**
   * How many `targetPosition` calls wanted a change smaller than the instrument's lot size or
   * minimum quantity, so sent nothing, and the first of them; `runBacktest` reports them as the
   * warning `TARGET_BELOW_LOT`.
   */
  get targetsBelowLot(): { readonly count: number; readonly first: TargetBelowLot | undefined } {
    return { count: this.#targetsBelowLot, first: this.#firstTargetBelowLot };
  }

  /** Whether warm-up is over: every registered indicator is ready and `warmUpBars` bars were seen. */
  get isWarm(): boolean {
    return this.#warm;
  }

  /**
   * Starts the strategy in `context` (again, after a stop: indicators and history carry on),
   * publishes `strategy.started` and runs `onStart`.
   * @throws {@link @qtp/core!ValidationError} naming `state` when it is running or has failed
   */
  start(context: StrategyContext): void {
    if (this.#state === 'running' || this.#state === 'failed') {
      throw new ValidationError('state', 'be created or stopped to start', this.#state);
    }
    this.#context = context;
    this.#logger = context.logger.child({ strategyId: this.id });
    this.#state = 'running';
    context.events.publish('strategy.started', {
      type: 'strategy.started',
      strategyId: this.id,
      timeMs: context.clock.now(),
    });
    this.#run('onStart', () => this.onStart());
  }

  /**
   * Runs `onStop`, cancels the strategy's timers and publishes `strategy.stopped`. Open orders
   * stay open: cancel them in `onStop` when they should not outlive the strategy. Does nothing
   * unless the strategy is running.
   */
  stop(): void {
    const context = this.#context;
    if (this.#state !== 'running' || context === undefined) return;
    this.#run('onStop', () => this.onStop());
    if (this.#executions.size > 0) {
      this.#run('onStop', () => this.#executions.cancelAll('the strategy stopped'));
    }
    this.#cancelTimers();
    this.#queue.length = 0;
    if (this.#state !== 'running') return;
    this.#state = 'stopped';
    context.events.publish('strategy.stopped', {
      type: 'strategy.stopped',
      strategyId: this.id,
      timeMs: context.clock.now(),
    });
  }

  /**
   * Delivers an event: market data to its hook, and order updates and fills of the strategy's
   * own orders to `onOrderUpdate` and `onFill` (a fill repeated with the same trade id is
   * delivered once; other strategies' orders are ignored). Does nothing once the strategy has
   * stopped or failed.
   * @throws {@link LookAheadError} when the event is stamped after the clock's time
   * @throws {@link @qtp/core!ValidationError} naming `state` before the strategy starts, or
   * `bar.openTimeMs` for a bar older than the last one of its instrument
   */
  handle(event: StrategyInputEvent): void {
    const context = this.#context;
    if (this.#state === 'created' || context === undefined) {
      throw new ValidationError('state', 'be started before it receives events', this.#state);
    }
    assertNotAhead(event, context.clock.now());
    this.#deliver(event);
  }

  static {
    deliverChecked = (strategy, event, context) => {
      if (strategy.#context === context && strategy.#state !== 'created') strategy.#deliver(event);
      else strategy.handle(event);
    };
    deliverBarChecked = (strategy, bar, context) => {
      if (strategy.#context === context && strategy.#state !== 'created') strategy.#deliverBar(bar);
      else strategy.handle(createBarEvent(bar));
    };
  }

  // `handle` once the event's time has been checked against the clock.
  #deliver(event: StrategyInputEvent): void {
    if (event.type === 'bar') {
      const last = this.#windowOf(event.bar.instrumentId)?.last;
      if (last !== undefined && event.bar.openTimeMs < last.openTimeMs) {
        const rule = `not be before the last bar's open time ${last.openTimeMs}`;
        throw new ValidationError('bar.openTimeMs', rule, event.bar.openTimeMs);
      }
    }
    if (this.#state !== 'running') return;
    if (this.#busy || this.#queue.length > 0) {
      this.#queue.push(event);
      this.#drain();
      return;
    }
    // Nothing queued and no hook running: what `#drain` would do with this one event, without
    // passing it through the queue.
    this.#busy = true;
    try {
      this.#process(event);
    } finally {
      this.#busy = false;
    }
    if (this.#queue.length > 0) this.#drain();
    else if (this.#state !== 'running') this.#queue.length = 0;
  }

  // `#deliver` of `createBarEvent(bar)`, without the event while nothing needs it: when no hook
  // runs, nothing is queued and no emulated stop or execution algorithm watches the market, it
  // is `#process` then `#runBar` in one try block.
  #deliverBar(bar: Bar): void {
    const window = this.#windowOf(bar.instrumentId);
    const last = window?.last;
    if (last !== undefined && bar.openTimeMs < last.openTimeMs) {
      const rule = `not be before the last bar's open time ${last.openTimeMs}`;
      throw new ValidationError('bar.openTimeMs', rule, bar.openTimeMs);
    }
    if (this.#state !== 'running') return;
    if (this.#busy || this.#queue.length > 0 || this.#stops.size > 0 || this.#executions.size > 0) {
      this.#deliver(createBarEvent(bar));
      return;
    }
    this.#busy = true;
    try {
      if (this.#onBarEvent(bar, window)) {
        const result: unknown = this.onBar(bar);
        if (isThenable(result)) result.then(undefined, (error) => this.#fail('onBar', error));
      }
    } catch (error) {
      this.#fail('onBar', error);
    } finally {
      this.#busy = false;
    }
    if (this.#queue.length > 0) this.#drain();
    else if (this.#state !== 'running') this.#queue.length = 0;
  }

  /** Returns the last `count` bars delivered for an instrument (default all kept), oldest first. */
  bars(instrumentId: InstrumentId, count: number = this.historySize): Bar[] {
    return this.#windows.get(instrumentId)?.toArray(count) ?? [];
  }

  /** Returns the last bar delivered for an instrument, or `undefined` before the first. */
  lastBar(instrumentId: InstrumentId): Bar | undefined {
    return this.#windows.get(instrumentId)?.last;
  }

  /**
   * Returns the strategy's orders that are still open, optionally of one instrument: those at the
   * venue, then the stops the strategy emulates, with status `INITIALIZED` until they trigger.
   */
  openOrders(instrumentId?: InstrumentId): StrategyOrder[] {
    const out: StrategyOrder[] = [];
    for (const order of this.#orders.values()) {
      if (instrumentId !== undefined && order.request.instrumentId !== instrumentId) continue;
      out.push({
        clientOrderId: order.clientOrderId,
        request: order.request,
        status: order.status,
        filledQuantity: filledOf(order),
      });
    }
    for (const stop of this.#stops.list(instrumentId)) {
      out.push({
        clientOrderId: stop.clientOrderId,
        request: stop.request,
        status: 'INITIALIZED',
        filledQuantity: ZERO,
      });
    }
    return out;
  }

  /** Returns the parent orders of the strategy's execution algorithms, oldest first (see {@link Strategy.execute}). */
  executions(): ParentOrderView[] {
    return this.#executions.all().map((algorithm) => algorithm.parent);
  }

  /** Returns the strategy's brackets that are not closed yet, oldest first (see {@link Strategy.bracketOrder}). */
  brackets(): StrategyBracket[] {
    return this.#brackets.list();
  }

  // ---- hooks ------------------------------------------------------------------------------

  /** Runs once the strategy starts; set timers or read positions here. Does nothing by default. */
  protected onStart(): void {}

  /** Runs for each bar once the strategy is warm, after the indicators were updated. */
  protected onBar(_bar: Bar): void {}

  /** Runs for each trade tick. */
  protected onTradeTick(_trade: TradeTick): void {}

  /** Runs for each quote. */
  protected onQuote(_quote: QuoteTick): void {}

  /** Runs for each book snapshot. */
  protected onBook(_book: BookSnapshot): void {}

  /** Runs for each change to an L2 book. */
  protected onBookDelta(_delta: BookDelta): void {}

  /** Runs when one of the strategy's orders changes status at the venue. */
  protected onOrderUpdate(_report: OrderReport): void {}

  /** Runs for each fill of one of the strategy's orders, once per trade id. */
  protected onFill(_fill: Fill): void {}

  /**
   * Runs when one of the strategy's orders is refused before it leaves (the instrument's rules,
   * the pre-trade gate, or the host): `event.denial` says who refused it and why. The order is no
   * longer open. The strategy goes on running.
   */
  protected onOrderDenied(_event: OrderDeniedEvent): void {}

  /** Runs when a timer set with {@link Strategy.setTimer}, `setAlarm` or `setInterval` fires. */
  protected onTimer(_timer: TimerEvent): void {}

  /** Runs when the strategy stops. */
  protected onStop(): void {}

  // ---- services for subclasses --------------------------------------------------------------

  /** The clock's time, through the host's clock; set timers with {@link Strategy.setTimer}. */
  protected get clock(): { now(): number } {
    const context = this.#requireContext();
    return { now: () => context.clock.now() };
  }

  /** The host's positions, read-only. */
  protected get positions(): StrategyContext['positions'] {
    return this.#requireContext().positions;
  }

  /**
   * The host's portfolio, read-only: `this.portfolio.position(id)`, `cash(asset)` and
   * `equity()`.
   * @example
   * ```ts
   * protected override onBar(bar: Bar): void {
   *   const budget = this.portfolio.equity() * 0.1;
   *   if (this.portfolio.position(bar.instrumentId).isZero()) {
   *     this.buy(bar.instrumentId, this.quantity(bar.instrumentId, budget / bar.close));
   *   }
   * }
   * ```
   */
  protected get portfolio(): StrategyPortfolio {
    return this.#requireContext().portfolio;
  }

  /** A logger bound to the strategy's id. */
  protected get logger(): Logger {
    this.#requireContext();
    return this.#logger!;
  }

  /**
   * Registers an indicator, updated with `inputs(bar)` on every bar (of one instrument, when
   * `options.instrumentId` is given) before the hooks run, and returns it. Call it from a field
   * initializer or `onStart`. For an indicator of one input the selector may return the number
   * alone (`(bar) => bar.close`), which builds no array per bar; or `inputs` may name the bar
   * field to feed (`'close'`), which reads it without calling a function per bar.
   *
   * @throws {@link @qtp/core!ValidationError} naming `indicator` once a bar has been delivered,
   *   or `inputs` when it is neither a function nor a {@link BarField}
   * @example
   * ```ts
   * private readonly fast = this.indicator(new SMA(10), 'close');
   * private readonly typical = this.indicator(new SMA(10), (bar) => (bar.high + bar.low) / 2);
   * private readonly atr = this.indicator(new ATR(14), (bar) => [bar.high, bar.low, bar.close]);
   * ```
   */
  protected indicator<T extends Indicator<[value: number], unknown>>(
    indicator: T,
    inputs: BarField,
    options?: IndicatorOptions,
  ): T;
  protected indicator<T extends Indicator<never, unknown>>(
    indicator: T,
    // The spread makes the array literal a tuple, so a wrong number of inputs fails to compile.
    inputs: (bar: Bar) => IndicatorSelection<T>,
    options?: IndicatorOptions,
  ): T;
  protected indicator<T extends Indicator<never, unknown>>(
    indicator: T,
    inputs: ((bar: Bar) => IndicatorSelection<T>) | BarField,
    options: IndicatorOptions = {},
  ): T {
    if (this.#barsSeen > 0) {
      throw new ValidationError('indicator', 'be registered before the first bar', indicator);
    }
    const field = typeof inputs === 'function' ? SELECTED : BAR_FIELDS.indexOf(inputs);
    if (field === -1 && typeof inputs !== 'function') {
      throw new ValidationError(
        'inputs',
        `be a function of the bar or one of ${BAR_FIELDS.join(', ')}`,
        inputs,
      );
    }
    this.#indicators.push({
      indicator: indicator as unknown as Indicator<readonly number[], unknown>,
      select:
        typeof inputs === 'function'
          ? (inputs as (bar: Bar) => readonly number[] | number)
          : undefined,
      field,
      instrumentId: options.instrumentId,
    });
    this.#warm = false;
    return indicator;
  }

  /**
   * Returns an instrument's trading rules from the host.
   * @throws {@link @qtp/core!UnknownSymbolError} when the host does not know it
   */
  protected instrument(instrumentId: InstrumentId): Instrument {
    return this.#requireContext().instrument(instrumentId);
  }

  /**
   * Returns a quantity computed as a `number` as a booked decimal, rounded down to the
   * instrument's step (see {@link toOrderQuantity}).
   * @throws {@link @qtp/core!ValidationError} when the value is negative, NaN or infinite
   */
  protected quantity(instrumentId: InstrumentId, value: number): Decimal {
    return toOrderQuantity(value, this.instrument(instrumentId));
  }

  /** Returns the net position in an instrument: positive long, negative short, zero flat. */
  protected position(instrumentId: InstrumentId): Decimal {
    return this.#requireContext().positions.netQuantity(instrumentId);
  }

  /**
   * Checks a request, tags it `strategy:<id>`, sends it to the host's order sink and returns its
   * client order id. A refusal never throws here: it arrives as `onOrderDenied`, also when the
   * sink throws (then with source `engine` and the error's code).
   * @throws {@link @qtp/core!ValidationError} when the request breaks a structural rule (a
   * programming error: no request exists to deny) or the strategy is not running
   */
  protected submitOrder(input: OrderRequestInput): ClientOrderId {
    const context = this.#requireRunning();
    const tag = this.#tag;
    const tags = input.tags ?? [];
    // The order helpers tag their input already; a spread with a key added is slow in V8.
    const request = createOrderRequest(
      tags.includes(tag) ? input : { ...input, tags: [...tags, tag] },
    );
    let clientOrderId: ClientOrderId;
    try {
      clientOrderId = context.orders.submit(request);
    } catch (error) {
      clientOrderId = request.clientOrderId ?? toClientOrderId(`denied-${++this.#deniedCount}`);
      this.#queue.push(sinkDenial(clientOrderId, request, error, context.clock.now()));
      this.#drain();
      return clientOrderId;
    }
    this.#orders.set(clientOrderId, {
      clientOrderId,
      request,
      status: 'SUBMITTED',
      reportedFilled: ZERO,
      filledByFills: ZERO,
      cancelRequested: false,
      tradeIds: undefined,
    });
    return clientOrderId;
  }

  /**
   * Buys `quantity`: a MARKET order, or a LIMIT order when `options.price` is given.
   * @example
   * ```ts
   * this.buy(id, '0.5');
   * this.buy(id, this.quantity(id, 1_000 / bar.close), { price: '27000' });
   * ```
   */
  protected buy(
    instrumentId: InstrumentId,
    quantity: DecimalInput,
    options: StrategyOrderOptions = {},
  ): ClientOrderId {
    return this.submitOrder(orderInput(instrumentId, 'BUY', quantity, options, this.#tag));
  }

  /** Sells `quantity`: a MARKET order, or a LIMIT order when `options.price` is given. */
  protected sell(
    instrumentId: InstrumentId,
    quantity: DecimalInput,
    options: StrategyOrderOptions = {},
  ): ClientOrderId {
    return this.submitOrder(orderInput(instrumentId, 'SELL', quantity, options, this.#tag));
  }

  /**
   * Asks the host to cancel one of the strategy's open orders.
   * @throws {@link @qtp/core!OrderNotFoundError} when the strategy has no open order with that id
   */
  protected cancelOrder(clientOrderId: ClientOrderId): void {
    const context = this.#requireRunning();
    // An emulated stop never left: dropping it is the cancel.
    const stop = this.#stops.get(clientOrderId);
    if (stop !== undefined) {
      this.#stops.remove(clientOrderId);
      this.#brackets.onStatus(clientOrderId, 'CANCELED', ZERO);
      return;
    }
    const order = this.#orders.get(clientOrderId);
    if (order === undefined) {
      throw new OrderNotFoundError(`strategy ${this.id} has no open order ${clientOrderId}`, {
        details: { strategyId: this.id, clientOrderId },
      });
    }
    order.cancelRequested = true;
    context.orders.cancel({ instrumentId: order.request.instrumentId, clientOrderId });
  }

  /** Asks the host to cancel every open order of the strategy (of one instrument, when given) not already being canceled. */
  protected cancelAllOrders(instrumentId?: InstrumentId): void {
    for (const stop of this.#stops.list(instrumentId)) this.cancelOrder(stop.clientOrderId);
    for (const order of [...this.#orders.values()]) {
      if (order.cancelRequested) continue;
      if (instrumentId !== undefined && order.request.instrumentId !== instrumentId) continue;
      this.cancelOrder(order.clientOrderId);
    }
  }

  /**
   * Places a stop order: a buy that becomes a market order (or a limit order at
   * `options.limitPrice`) once the market trades at or above `triggerPrice`, a sell once it
   * trades at or below. Where the instrument's venue accepts STOP_MARKET / STOP_LIMIT (the
   * context's `orderTypes`) the order goes to the venue; elsewhere the strategy holds it and
   * watches the market data it is delivered (a bar's high or low, a trade's price, a quote's
   * ask or bid), then submits the market or limit order; that order is then one event late,
   * as a venue's own stop would not be. An emulated stop is listed by {@link Strategy.openOrders}
   * with status `INITIALIZED` and canceled with {@link Strategy.cancelOrder} like any order.
   *
   * @throws {@link @qtp/core!ValidationError} when the request breaks a structural rule
   * @example
   * ```ts
   * // Protect a long: sell 0.5 if the price falls to 26,500.
   * this.stopOrder(id, 'SELL', '0.5', '26500');
   * ```
   */
  protected stopOrder(
    instrumentId: InstrumentId,
    side: OrderSide,
    quantity: DecimalInput,
    triggerPrice: DecimalInput,
    options: StopOrderOptions = {},
  ): ClientOrderId {
    const context = this.#requireRunning();
    const type = options.limitPrice === undefined ? 'STOP_MARKET' : 'STOP_LIMIT';
    const input: OrderRequestInput = { instrumentId, side, type, quantity, triggerPrice };
    if (options.limitPrice !== undefined) input.price = options.limitPrice;
    if (options.timeInForce !== undefined) input.timeInForce = options.timeInForce;
    if (options.reduceOnly !== undefined) input.reduceOnly = options.reduceOnly;
    if (options.tags !== undefined) input.tags = options.tags;
    if (context.orderTypes(instrumentId).includes(type)) return this.submitOrder(input);
    return this.#holdStop(instrumentId, side, quantity, triggerPrice, options);
  }

  #holdStop(
    instrumentId: InstrumentId,
    side: OrderSide,
    quantity: DecimalInput,
    triggerPrice: DecimalInput,
    options: StopOrderOptions,
  ): ClientOrderId {
    this.#requireRunning();
    const tag = `strategy:${this.id}`;
    const tags = options.tags ?? [];
    const input: OrderRequestInput = {
      instrumentId,
      side,
      type: options.limitPrice === undefined ? 'STOP_MARKET' : 'STOP_LIMIT',
      quantity,
      triggerPrice,
      tags: tags.includes(tag) ? tags : [...tags, tag],
    };
    if (options.limitPrice !== undefined) input.price = options.limitPrice;
    if (options.timeInForce !== undefined) input.timeInForce = options.timeInForce;
    if (options.reduceOnly !== undefined) input.reduceOnly = options.reduceOnly;
    const request = createOrderRequest(input);
    const clientOrderId = toClientOrderId(`local-${++this.#localCount}`);
    this.#stops.add({ clientOrderId, request, trigger: request.triggerPrice!.toNumber() });
    return clientOrderId;
  }

  /**
   * Enters a position with a stop-loss and a take-profit: submits the entry (MARKET, or LIMIT at
   * `entryPrice`), and once it ends with a fill, places both exits on the other side for the
   * quantity filled: a stop at `stopLoss` (see {@link Strategy.stopOrder}: emulated where the
   * venue lacks stops) and a GTC limit at `takeProfit`. When either exit fills, partly or fully,
   * the strategy cancels the other (one-cancels-the-other, in the strategy layer). Returns the
   * entry's client order id, also the bracket's id in {@link Strategy.brackets}.
   *
   * @throws {@link @qtp/core!ValidationError} when the entry breaks a structural rule
   * @example
   * ```ts
   * this.bracketOrder({
   *   instrumentId: id, side: 'BUY', quantity: '0.5', stopLoss: '26500', takeProfit: '28500',
   * });
   * ```
   */
  protected bracketOrder(options: BracketOrderOptions): ClientOrderId {
    const input: OrderRequestInput = {
      instrumentId: options.instrumentId,
      side: options.side,
      type: options.entryPrice === undefined ? 'MARKET' : 'LIMIT',
      quantity: options.quantity,
      tags: [...(options.tags ?? []), 'entry'],
    };
    if (options.entryPrice !== undefined) input.price = options.entryPrice;
    const entryId = this.submitOrder(input);
    this.#brackets.add(entryId, options);
    return entryId;
  }

  /**
   * Starts an execution algorithm (such as `Twap`, `Vwap`, `Iceberg` or `Pov` from `@qtp/oms`)
   * on a parent order, and returns the parent. The algorithm sends child orders as the
   * strategy's own: each one goes through the order manager's rules and pre-trade gate, is
   * tagged `parent:<id>`, and reaches `onOrderUpdate` and `onFill` like any order. It sees the
   * strategy's market data and its children's updates, fills and wake-ups, so it runs the same
   * in a backtest, on paper and live. Stopping the strategy cancels it.
   *
   * @throws {@link @qtp/core!ValidationError} before the strategy starts, or naming the
   * algorithm's `instrumentId` when the strategy does not trade it
   * @example
   * ```ts
   * import { Twap } from '@qtp/oms';
   * const parent = this.execute(
   *   new Twap({ instrumentId: id, side: 'BUY', quantity: '5000', durationMs: 3_600_000, slices: 12 }),
   * );
   * // later: parent.filledQuantity, parent.averageFillPrice, this.cancelExecution(parent.parentClientOrderId)
   * ```
   */
  protected execute(algorithm: ExecutionAlgorithm): ParentOrderView {
    const context = this.#requireRunning();
    const instrument = this.instrument(algorithm.instrumentId);
    const parentId = `${this.id}-P${context.clock.now().toString(36)}-${++this.#parentCount}`;
    const executions = this.#executions;
    executions.add(parentId, algorithm);
    algorithm.start(
      {
        instrument,
        now: () => context.clock.now(),
        submitChild: (input) => {
          const tags = [...(input.tags ?? []), `parent:${parentId}`];
          const id = this.submitOrder({ ...input, tags });
          executions.addChild(id, algorithm);
          return id;
        },
        cancelChild: (clientOrderId) => this.cancelOrder(clientOrderId),
        wakeAt: (atMs) => {
          this.setAlarm(EXECUTION_TIMER_PREFIX + parentId, Math.max(atMs, context.clock.now()));
        },
        ended: (event) => context.events.publish('execution.ended', event),
      },
      parentId,
    );
    return algorithm.parent;
  }

  /**
   * Cancels an execution algorithm started with {@link Strategy.execute} and its working
   * children; returns false when the strategy has no parent of that id.
   */
  protected cancelExecution(
    parentClientOrderId: string,
    reason = 'canceled by the strategy',
  ): boolean {
    const algorithm = this.#executions.get(parentClientOrderId);
    if (algorithm === undefined) return false;
    algorithm.cancel(reason);
    return true;
  }

  /**
   * Orders the difference between `target` (signed: negative is short) and the position plus
   * the unfilled part of the strategy's open orders in the instrument, rounded down to the step.
   * Returns the client order id, or `undefined` when there is no difference or it rounds to less
   * than the instrument's minimum quantity; the second case is counted in
   * {@link Strategy.targetsBelowLot}, which `runBacktest` reports as a warning. Counting open orders keeps a strategy
   * that calls it on every bar from ordering the same difference twice while an order works.
   *
   * @throws {@link @qtp/core!ValidationError} naming `target` when it is not a finite decimal
   * @example
   * ```ts
   * this.targetPosition(id, '0.5'); // long 0.5
   * this.targetPosition(id, '0'); // flat
   * this.targetPosition(id, new Decimal('-0.5')); // short 0.5
   * ```
   */
  protected targetPosition(
    instrumentId: InstrumentId,
    target: DecimalInput,
    options: StrategyOrderOptions = {},
  ): ClientOrderId | undefined {
    const goal = typeof target === 'string' ? this.#targetOf(target) : toDecimal(target, 'target');
    const instrument = this.instrument(instrumentId);
    const pending = this.#orders.size === 0 ? ZERO : this.#pending(instrumentId);
    const position = goal.minus(this.position(instrumentId));
    const delta = pending.isZero() ? position : position.minus(pending);
    if (delta.isZero()) return undefined;
    const quantity = instrument.roundQuantity(delta.s < 0 ? delta.neg() : delta);
    if (quantity.isZero() || compareDecimals(quantity, instrument.minQuantity) < 0) {
      // Nothing to send, but not nothing wanted: counted, so a run can say so.
      this.#targetsBelowLot++;
      this.#firstTargetBelowLot ??= Object.freeze({
        instrumentId,
        target: goal.toString(),
        change: delta.toString(),
        minQuantity: instrument.minQuantity.toString(),
        sizeIncrement: instrument.sizeIncrement.toString(),
      });
      return undefined;
    }
    const side: OrderSide = delta.isPositive() ? 'BUY' : 'SELL';
    return this.submitOrder(orderInput(instrumentId, side, quantity, options, this.#tag));
  }

  /**
   * Calls `onTimer` with `name` once, `delayMs` milliseconds from now, and returns the timer's id.
   * @throws {@link @qtp/core!ValidationError} when `delayMs` is negative or not finite
   */
  protected setTimer(name: string, delayMs: number): TimerId {
    const clock = this.#requireRunning().clock;
    const id = clock.setTimeout((nowMs) => this.#fire(id, name, nowMs, true), delayMs);
    this.#timers.set(id, name);
    return id;
  }

  /**
   * Calls `onTimer` with `name` once at `atMs` (epoch milliseconds), and returns the timer's id.
   * @throws {@link @qtp/core!ValidationError} when `atMs` is not finite
   */
  protected setAlarm(name: string, atMs: number): TimerId {
    const clock = this.#requireRunning().clock;
    const id = clock.setAlarm((nowMs) => this.#fire(id, name, nowMs, true), atMs);
    this.#timers.set(id, name);
    return id;
  }

  /**
   * Calls `onTimer` with `name` every `intervalMs` milliseconds until canceled or stopped.
   * @throws {@link @qtp/core!ValidationError} when `intervalMs` is not a positive finite number
   */
  protected setInterval(name: string, intervalMs: number): TimerId {
    const clock = this.#requireRunning().clock;
    const id = clock.setInterval((nowMs) => this.#fire(id, name, nowMs, false), intervalMs);
    this.#timers.set(id, name);
    return id;
  }

  /** Cancels one of the strategy's timers; returns true when it was pending. */
  protected cancelTimer(id: TimerId): boolean {
    if (!this.#timers.delete(id)) return false;
    return this.#requireContext().clock.cancel(id);
  }

  /** Publishes a `strategy.signal` event with a name and observed values, for dashboards and logs. */
  protected publishSignal(name: string, data: Readonly<Record<string, unknown>> = {}): void {
    const context = this.#requireRunning();
    context.events.publish('strategy.signal', {
      type: 'strategy.signal',
      strategyId: this.id,
      name,
      data,
      timeMs: context.clock.now(),
    });
  }

  // ---- internals ------------------------------------------------------------------------------

  #requireContext(): StrategyContext {
    if (this.#context === undefined) {
      throw new ValidationError('state', 'be started before it uses its context', this.#state);
    }
    return this.#context;
  }

  #requireRunning(): StrategyContext {
    const context = this.#requireContext();
    if (this.#state !== 'running') {
      throw new ValidationError('state', 'be running to order or set timers', this.#state);
    }
    return context;
  }

  // A target given as a string, parsed once: a strategy names the same few targets again and
  // again ('1', '0'), and parsing one cost more than the rest of the call.
  #targetOf(text: string): Decimal {
    let goal = this.#targets.get(text);
    if (goal === undefined) {
      goal = toDecimal(text, 'target');
      if (this.#targets.size >= TARGETS_KEPT) this.#targets.clear();
      this.#targets.set(text, goal);
    }
    return goal;
  }

  #pending(instrumentId: InstrumentId): Decimal {
    let pending = ZERO;
    for (const order of this.#orders.values()) {
      if (order.request.instrumentId !== instrumentId) continue;
      const left = order.request.quantity.minus(filledOf(order));
      if (left.lte(0)) continue;
      pending = order.request.side === 'BUY' ? pending.plus(left) : pending.minus(left);
    }
    return pending;
  }

  #fire(id: TimerId, name: string, timeMs: number, once: boolean): void {
    if (once) this.#timers.delete(id);
    if (this.#state !== 'running') return;
    this.#queue.push({ type: 'timer', name, timeMs });
    this.#drain();
  }

  #cancelTimers(): void {
    const clock = this.#context?.clock;
    for (const id of this.#timers.keys()) clock?.cancel(id);
    this.#timers.clear();
  }

  #run(hook: StrategyHook, action: () => unknown): void {
    const outer = this.#busy;
    this.#busy = true;
    try {
      const result = action();
      // Hooks are synchronous; an async one still has its rejection reported, not lost.
      if (isThenable(result)) result.then(undefined, (error) => this.#fail(hook, error));
    } catch (error) {
      this.#fail(hook, error);
    } finally {
      this.#busy = outer;
    }
    if (!outer) this.#drain();
  }

  // `#run` for onBar without a closure per bar. The inputs selectors are the subclass's code, so
  // they fail like the hook.
  #runBar(bar: Bar): void {
    const outer = this.#busy;
    this.#busy = true;
    try {
      if (this.#onBarEvent(bar)) {
        const result: unknown = this.onBar(bar);
        if (isThenable(result)) result.then(undefined, (error) => this.#fail('onBar', error));
      }
    } catch (error) {
      this.#fail('onBar', error);
    } finally {
      this.#busy = outer;
    }
    if (!outer) this.#drain();
  }

  #drain(): void {
    if (this.#busy) return;
    this.#busy = true;
    try {
      while (this.#state === 'running') {
        const event = this.#queue.shift();
        if (event === undefined) break;
        this.#process(event);
      }
    } finally {
      this.#busy = false;
    }
    if (this.#state !== 'running') this.#queue.length = 0;
  }

  // Submits the emulated stops this market data triggers, as the hook's own orders; a bracket's
  // stop-loss goes through its bracket, which first cancels the take-profit.
  #trigger(event: MarketDataEvent): void {
    for (const stop of this.#stops.takeTriggered(event)) {
      if (!this.#brackets.claimTrigger(stop)) this.#fireStop(stop);
    }
  }

  // Sends the market (or limit) order a triggered stop stands for.
  #fireStop(stop: LocalStop): ClientOrderId {
    const { request } = stop;
    const input: OrderRequestInput = {
      instrumentId: request.instrumentId,
      side: request.side,
      type: request.price === undefined ? 'MARKET' : 'LIMIT',
      quantity: request.quantity,
      tags: [...(request.tags ?? []), 'triggered'],
    };
    if (request.price !== undefined) {
      input.price = request.price;
      input.timeInForce = request.timeInForce;
    }
    if (request.reduceOnly !== undefined) input.reduceOnly = request.reduceOnly;
    return this.submitOrder(input);
  }

  #process(event: QueuedEvent): void {
    if (this.#stops.size > 0 && isMarketData(event)) {
      this.#run(HOOK_OF[event.type], () => this.#trigger(event));
      if (this.#state !== 'running') return;
    }
    if (this.#executions.size > 0 && isMarketData(event)) {
      this.#run(HOOK_OF[event.type], () => this.#executions.onMarketData(event));
      if (this.#state !== 'running') return;
    }
    switch (event.type) {
      case 'bar':
        this.#runBar(event.bar);
        return;
      case 'trade':
        this.#run('onTradeTick', () => this.onTradeTick(event.trade));
        return;
      case 'quote':
        this.#run('onQuote', () => this.onQuote(event.quote));
        return;
      case 'bookSnapshot':
        this.#run('onBook', () => this.onBook(event.snapshot));
        return;
      case 'bookDelta':
        this.#run('onBookDelta', () => this.onBookDelta(event.delta));
        return;
      case 'order.denied':
        if (this.#onDenied(event)) {
          this.#run('onOrderDenied', () => {
            this.#brackets.onStatus(event.clientOrderId, 'REJECTED', ZERO);
            this.onOrderDenied(event);
          });
        }
        return;
      case 'orderUpdate':
        if (this.#onReport(event.report)) {
          const { report } = event;
          this.#run('onOrderUpdate', () => {
            this.#brackets.onStatus(report.clientOrderId, report.status, report.filledQuantity);
            if (this.#executions.size > 0) this.#executions.onReport(report);
            this.onOrderUpdate(report);
          });
        }
        return;
      case 'fill':
        if (this.#onFill(event.fill)) {
          this.#run('onFill', () => {
            this.#brackets.onFill(event.fill.clientOrderId);
            if (this.#executions.size > 0) this.#executions.onFill(event.fill);
            this.onFill(event.fill);
          });
        }
        return;
      case 'timer':
        if (event.name.startsWith(EXECUTION_TIMER_PREFIX)) {
          this.#run('onTimer', () => this.#executions.onTimer(event.name, event.timeMs));
          return;
        }
        this.#run('onTimer', () => this.onTimer(event));
        return;
    }
  }

  // The history of an instrument; bars of one instrument come in runs, so the last one answers
  // without a lookup.
  #windowOf(instrumentId: InstrumentId): BarWindow | undefined {
    if (instrumentId === this.#lastWindowId) return this.#lastWindow;
    const window = this.#windows.get(instrumentId);
    if (window !== undefined) {
      this.#lastWindowId = instrumentId;
      this.#lastWindow = window;
    }
    return window;
  }

  // Updates history and indicators; returns whether onBar should run. `known` is the bar's
  // window when the caller has looked it up.
  #onBarEvent(bar: Bar, known?: BarWindow): boolean {
    let window = known ?? this.#windowOf(bar.instrumentId);
    if (window === undefined) {
      window = new BarWindow(this.historySize);
      this.#windows.set(bar.instrumentId, window);
      this.#lastWindowId = bar.instrumentId;
      this.#lastWindow = window;
    }
    const revision = window.last?.openTimeMs === bar.openTimeMs;
    if (revision) window.replaceLast(bar);
    else {
      window.push(bar);
      this.#barsSeen++;
    }
    let ready = this.#barsSeen >= this.warmUpBars;
    const indicators = this.#indicators;
    for (let i = 0; i < indicators.length; i++) {
      const entry = indicators[i]!;
      if (entry.instrumentId === undefined || entry.instrumentId === bar.instrumentId) {
        const field = entry.field;
        feed(
          entry.indicator,
          field === SELECTED ? entry.select!(bar) : barField(bar, field),
          revision,
        );
      }
      if (!entry.indicator.isReady) ready = false;
    }
    this.#warm = ready;
    return ready;
  }

  // Updates the order's record; returns whether the order is the strategy's.
  #onReport(report: OrderReport): boolean {
    const order = this.#orders.get(report.clientOrderId);
    if (order === undefined) return this.#closed.has(report.clientOrderId);
    order.status = report.status;
    if (compareDecimals(report.filledQuantity, order.reportedFilled) > 0) {
      order.reportedFilled = report.filledQuantity;
    }
    if (isTerminalOrderStatus(report.status)) {
      this.#orders.delete(order.clientOrderId);
      this.#closed.set(order.clientOrderId, order);
      if (this.#closed.size > CLOSED_ORDERS_KEPT) {
        this.#closed.delete(this.#closed.keys().next().value!);
      }
    }
    return true;
  }

  // Closes a denied order; returns whether it was the strategy's (by id, or by its tag when the
  // host denied it before `submit` returned).
  #onDenied(event: OrderDeniedEvent): boolean {
    const order = this.#orders.get(event.clientOrderId);
    if (order !== undefined) {
      order.status = 'REJECTED';
      this.#orders.delete(order.clientOrderId);
      this.#closed.set(order.clientOrderId, order);
      return true;
    }
    return event.tags.includes(this.#tag);
  }

  // Records the fill; returns whether it is a first sighting of a fill of the strategy's order.
  #onFill(fill: Fill): boolean {
    const order = this.#orders.get(fill.clientOrderId) ?? this.#closed.get(fill.clientOrderId);
    if (order === undefined || hasTradeId(order, fill.tradeId)) return false;
    addTradeId(order, fill.tradeId);
    order.filledByFills = order.filledByFills.isZero()
      ? fill.quantity
      : order.filledByFills.plus(fill.quantity);
    return true;
  }

  #fail(hook: StrategyHook, error: unknown): void {
    if (this.#state === 'failed') return;
    const context = this.#context!;
    this.#state = 'failed';
    this.#error = error;
    this.#cancelTimers();
    this.#queue.length = 0;
    this.#logger?.error('strategy failed', { hook, err: error });
    context.events.publish('strategy.failed', {
      type: 'strategy.failed',
      strategyId: this.id,
      hook,
      error,
      timeMs: context.clock.now(),
    });
  }
}

const HOOK_OF: Readonly<Record<MarketDataEvent['type'], StrategyHook>> = {
  bar: 'onBar',
  trade: 'onTradeTick',
  quote: 'onQuote',
  bookSnapshot: 'onBook',
  bookDelta: 'onBookDelta',
};

function isMarketData(event: QueuedEvent): event is MarketDataEvent {
  return event.type in HOOK_OF;
}

// A refusal the sink threw, as the event a host that denies by event would have sent.
function sinkDenial(
  clientOrderId: ClientOrderId,
  request: OrderRequest,
  error: unknown,
  timeMs: number,
): OrderDeniedEvent {
  const denial: { -readonly [K in keyof OrderDenial]: OrderDenial[K] } = {
    source: 'engine',
    code: isQtpError(error) ? error.code : 'UNKNOWN',
    message: error instanceof Error ? error.message : String(error),
  };
  if (isQtpError(error, 'VALIDATION')) {
    const field = (error as ValidationError).issues[0]?.field;
    if (field !== undefined) denial.field = field;
  }
  return {
    type: 'order.denied',
    clientOrderId,
    instrumentId: request.instrumentId,
    tags: request.tags ?? [],
    request,
    denial,
    timeMs,
  };
}

function filledOf(order: TrackedOrder): Decimal {
  // Decimal.max would copy the larger one.
  const { reportedFilled, filledByFills } = order;
  return compareDecimals(filledByFills, reportedFilled) > 0 ? filledByFills : reportedFilled;
}

function orderInput(
  instrumentId: InstrumentId,
  side: OrderSide,
  quantity: DecimalInput,
  options: StrategyOrderOptions,
  tag: string,
): OrderRequestInput {
  const tags = options.tags;
  const input: OrderRequestInput = {
    instrumentId,
    side,
    type: options.price === undefined ? 'MARKET' : 'LIMIT',
    quantity,
    tags: tags === undefined ? [tag] : tags.includes(tag) ? tags : [...tags, tag],
  };
  if (options.price !== undefined) input.price = options.price;
  if (options.timeInForce !== undefined) input.timeInForce = options.timeInForce;
  if (options.reduceOnly !== undefined) input.reduceOnly = options.reduceOnly;
  if (options.clientOrderId !== undefined) input.clientOrderId = options.clientOrderId;
  return input;
}
