import type {
  ClientOrderId,
  Decimal,
  DecimalInput,
  InstrumentId,
  OrderSide,
  OrderStatus,
} from '@qtp/core';
import type { LocalStop } from './local-stops.js';

/** Options of `Strategy.bracketOrder`. */
export interface BracketOrderOptions {
  /** The instrument to trade. */
  readonly instrumentId: InstrumentId;
  /** The entry's side; both exits take the other side. */
  readonly side: OrderSide;
  /** The entry's quantity in the base asset; the exits cover what the entry filled. */
  readonly quantity: DecimalInput;
  /** A limit price for the entry: LIMIT when given, MARKET otherwise. */
  readonly entryPrice?: DecimalInput;
  /** The stop-loss trigger: below the entry for a buy, above it for a sell. */
  readonly stopLoss: DecimalInput;
  /** A limit price for the stop-loss once triggered (STOP_LIMIT); STOP_MARKET when absent. */
  readonly stopLossLimit?: DecimalInput;
  /** The take-profit limit price: above the entry for a buy, below it for a sell. */
  readonly takeProfit: DecimalInput;
  /** Extra labels for all three orders. */
  readonly tags?: readonly string[];
}

/**
 * Where a bracket is: `entering` until the entry order ends, `open` while both exits work, and
 * `closed` once an exit filled (the other is then canceled), both exits ended, or the entry
 * ended with nothing filled.
 */
export type BracketState = 'entering' | 'open' | 'closed';

/** One bracket of a strategy, as `Strategy.brackets` reports it. */
export interface StrategyBracket {
  /** The entry order's client order id; also the bracket's id. */
  readonly entryId: ClientOrderId;
  /** The instrument. */
  readonly instrumentId: InstrumentId;
  /** The entry's side. */
  readonly side: OrderSide;
  /** Where the bracket is. */
  readonly state: BracketState;
  /** The stop-loss order's id, once placed (a local id until an emulated stop triggers). */
  readonly stopLossId: ClientOrderId | undefined;
  /** The take-profit order's id, once placed. */
  readonly takeProfitId: ClientOrderId | undefined;
}

/** What a bracket needs of its strategy to place and cancel its exits. */
export interface BracketPort {
  /** Holds a stop in the strategy (never at the venue) and returns its local id. */
  holdStop(
    instrumentId: InstrumentId,
    side: OrderSide,
    quantity: Decimal,
    trigger: DecimalInput,
    limit: DecimalInput | undefined,
    tags: readonly string[],
  ): ClientOrderId;
  /** Places a GTC limit order and returns its id. */
  placeLimit(
    instrumentId: InstrumentId,
    side: OrderSide,
    quantity: Decimal,
    price: DecimalInput,
    tags: readonly string[],
  ): ClientOrderId;
  /** Cancels an order or an emulated stop that may still be open. */
  cancel(clientOrderId: ClientOrderId): void;
  /** Sends the market or limit order of a triggered stop and returns its id. */
  fire(stop: LocalStop): ClientOrderId;
}

interface Bracket {
  readonly entryId: ClientOrderId;
  readonly options: BracketOrderOptions;
  state: BracketState;
  stopLossId: ClientOrderId | undefined;
  takeProfitId: ClientOrderId | undefined;
  // A stop that triggered while the take-profit still worked: sent once that is canceled.
  waiting: LocalStop | undefined;
}

const TERMINAL: ReadonlySet<OrderStatus> = new Set(['FILLED', 'CANCELED', 'REJECTED', 'EXPIRED']);
const CLOSED_KEPT = 256;

/**
 * The strategy layer's OCO: places both exits once the entry ends with a fill, and cancels one
 * exit as soon as the other fills (partly or fully), as a venue's one-cancels-the-other does.
 *
 * On a cash venue two resting sells of the same quantity would lock the base asset twice, so the
 * stop-loss stays in the strategy: when the market reaches it, the take-profit is canceled first
 * and the stop's order is sent once the venue confirms that cancel (not at all if the
 * take-profit filled meanwhile).
 */
export class BracketBook {
  readonly #port: BracketPort;
  readonly #byOrder = new Map<ClientOrderId, Bracket>();
  readonly #brackets = new Map<ClientOrderId, Bracket>();

  constructor(port: BracketPort) {
    this.#port = port;
  }

  /** Starts tracking a bracket whose entry was just submitted. */
  add(entryId: ClientOrderId, options: BracketOrderOptions): void {
    const bracket: Bracket = {
      entryId,
      options,
      state: 'entering',
      stopLossId: undefined,
      takeProfitId: undefined,
      waiting: undefined,
    };
    this.#brackets.set(entryId, bracket);
    this.#byOrder.set(entryId, bracket);
  }

  /** Returns the brackets not yet closed, oldest first. */
  list(): StrategyBracket[] {
    const out: StrategyBracket[] = [];
    for (const bracket of this.#brackets.values()) {
      if (bracket.state === 'closed') continue;
      out.push({
        entryId: bracket.entryId,
        instrumentId: bracket.options.instrumentId,
        side: bracket.options.side,
        state: bracket.state,
        stopLossId: bracket.stopLossId,
        takeProfitId: bracket.takeProfitId,
      });
    }
    return out;
  }

  /** Follows an order's status: the entry's end places the exits; an exit's end may close it. */
  onStatus(clientOrderId: ClientOrderId, status: OrderStatus, filled: Decimal): void {
    const bracket = this.#byOrder.get(clientOrderId);
    if (bracket === undefined || !TERMINAL.has(status)) return;
    if (clientOrderId === bracket.entryId) {
      this.#byOrder.delete(clientOrderId);
      if (bracket.state !== 'entering') return;
      if (filled.isZero()) this.#close(bracket);
      else this.#placeExits(bracket, filled);
      return;
    }
    // An exit ended: without a fill (a fill closed the bracket already) it simply drops out.
    this.#byOrder.delete(clientOrderId);
    if (bracket.stopLossId === clientOrderId) bracket.stopLossId = undefined;
    if (bracket.takeProfitId === clientOrderId) {
      bracket.takeProfitId = undefined;
      const waiting = bracket.waiting;
      bracket.waiting = undefined;
      if (waiting !== undefined && bracket.state === 'open' && filled.isZero()) {
        bracket.stopLossId = this.#port.fire(waiting);
        this.#byOrder.set(bracket.stopLossId, bracket);
        return;
      }
    }
    if (bracket.stopLossId === undefined && bracket.takeProfitId === undefined) {
      this.#close(bracket);
    }
  }

  /** Follows a fill: the first fill of an exit cancels the other exit. */
  onFill(clientOrderId: ClientOrderId): void {
    const bracket = this.#byOrder.get(clientOrderId);
    if (bracket === undefined || bracket.state !== 'open') return;
    const other =
      clientOrderId === bracket.stopLossId
        ? bracket.takeProfitId
        : clientOrderId === bracket.takeProfitId
          ? bracket.stopLossId
          : undefined;
    if (clientOrderId === bracket.entryId) return;
    this.#close(bracket);
    if (other !== undefined) this.#port.cancel(other);
  }

  /**
   * Takes over a held stop that triggered, when it is a bracket's stop-loss: cancels the
   * take-profit and sends the stop once that cancel is confirmed, or sends it now when no
   * take-profit works. Returns false when the stop is no bracket's.
   */
  claimTrigger(stop: LocalStop): boolean {
    const bracket = this.#byOrder.get(stop.clientOrderId);
    if (bracket === undefined || bracket.stopLossId !== stop.clientOrderId) return false;
    this.#byOrder.delete(stop.clientOrderId);
    bracket.stopLossId = undefined;
    if (bracket.takeProfitId === undefined) {
      bracket.stopLossId = this.#port.fire(stop);
      this.#byOrder.set(bracket.stopLossId, bracket);
    } else {
      bracket.waiting = stop;
      this.#port.cancel(bracket.takeProfitId);
    }
    return true;
  }

  #placeExits(bracket: Bracket, filled: Decimal): void {
    const { options } = bracket;
    const exit: OrderSide = options.side === 'BUY' ? 'SELL' : 'BUY';
    const tags = options.tags ?? [];
    bracket.state = 'open';
    bracket.stopLossId = this.#port.holdStop(
      options.instrumentId,
      exit,
      filled,
      options.stopLoss,
      options.stopLossLimit,
      [...tags, 'stopLoss'],
    );
    this.#byOrder.set(bracket.stopLossId, bracket);
    bracket.takeProfitId = this.#port.placeLimit(
      options.instrumentId,
      exit,
      filled,
      options.takeProfit,
      [...tags, 'takeProfit'],
    );
    this.#byOrder.set(bracket.takeProfitId, bracket);
  }

  #close(bracket: Bracket): void {
    bracket.state = 'closed';
    this.#brackets.delete(bracket.entryId);
    // Late reports of a closed bracket's orders find nothing; the map stays bounded.
    if (this.#byOrder.size > CLOSED_KEPT * 4) {
      for (const [id, entry] of this.#byOrder)
        if (entry.state === 'closed') this.#byOrder.delete(id);
    }
  }
}
