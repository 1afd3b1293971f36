import {
  type ClientOrderId,
  type Clock,
  type InstrumentId,
  type Logger,
  type OrderReport,
  ValidationError,
  venueOf,
} from '@qtp/core';
import type { Exchange } from '@qtp/exchange';
import type { OrderJournal, OrderManager, RecoveryResult } from '@qtp/oms';
import type { OrderManagerPort } from './order-manager-port.js';

/**
 * What recovery does with an order open at a venue that the journal does not know (an order
 * placed by hand or by another system, or one whose intent was never journaled): `keep` leaves
 * it working and reports it, `cancel` asks the venue to cancel it, `adopt` hands it to the
 * order manager (`OrderManager.adopt`), which journals it tagged `external` and books its
 * fills by trade id like any order's, so a later restart knows it.
 * @example
 * ```ts
 * import type { OrphanPolicy } from '@qtp/engine';
 * const orphans: OrphanPolicy = 'adopt';
 * const engine = new TradingEngine({ exchanges, instruments, orderJournal, recovery: { orphans } });
 * ```
 */
export type OrphanPolicy = 'keep' | 'cancel' | 'adopt';

/** Options of the engine's recovery on start (`TradingEngineOptions.recovery`). */
export interface RecoveryOptions {
  /** What to do with venue orders the journal does not know (default `keep`). */
  orphans?: OrphanPolicy;
  /**
   * How far back to read each instrument's own trades at the venue, in ms before the clock's
   * time (default 86 400 000, a day): trades of orders the journal does not know are reported.
   */
  tradesLookbackMs?: number;
}

/** A venue order the journal did not know, tagged `external`, and what recovery did with it. */
export interface ExternalOrder {
  /** The venue's report of the order. */
  readonly report: OrderReport;
  /** The venue it is open at. */
  readonly venue: string;
  /** Always `['external']`: the order was not placed through this journal. */
  readonly tags: readonly string[];
  /**
   * `kept`, `canceled` (the cancel was sent), `cancelFailed` (with `error`), `adopted` (the
   * order manager now tracks it) or `adoptFailed` (with `error`; the order is left working).
   */
  readonly action: 'kept' | 'canceled' | 'cancelFailed' | 'adopted' | 'adoptFailed';
  /** What the cancel or the adoption threw, when `action` is `cancelFailed` or `adoptFailed`. */
  readonly error?: unknown;
}

/** What the engine found and did while it was `RECONCILING`; the payload of `engine.recovered`. */
export interface RecoveryReport {
  /** How many orders the journal holds, terminal ones included. */
  readonly journaled: number;
  /** The open orders reloaded from the journal and reconciled with their venue, by id. */
  readonly recovered: readonly ClientOrderId[];
  /** Of those, the orders whose state is still unknown; they are looked up again on the clock. */
  readonly unknown: readonly ClientOrderId[];
  /** Journal records that could not be read back. */
  readonly unreadable: number;
  /** Fills the venue had booked that the journal lacked, now booked once by trade id. */
  readonly fillsBooked: number;
  /** Venue orders the journal did not know, and what was done with each. */
  readonly external: readonly ExternalOrder[];
  /** Own trades at the venue, within the lookback, of orders the journal does not know. */
  readonly externalTrades: number;
  /** How long recovery took on the engine's clock, in ms. */
  readonly durationMs: number;
}

/** What recovery works on. @internal */
export interface RecoveryParts {
  readonly journal: OrderJournal;
  readonly orderManager: OrderManagerPort;
  readonly exchanges: readonly Exchange[];
  readonly instruments: readonly InstrumentId[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly options: RecoveryOptions;
  /** Returns how many fills the order manager published since recovery began. */
  readonly fillsSince: () => number;
}

type Recoverable = OrderManagerPort & Partial<Pick<OrderManager, 'recover' | 'adopt'>>;

/**
 * Brings the order manager and the venues into agreement before strategies run: reloads the
 * journal's open orders and reconciles each with its venue by client order id (statuses
 * applied, unknown placements resolved, missed fills booked once by trade id), then reads every
 * venue's open orders and recent own trades, reports those the journal does not know as
 * external, and keeps, cancels or adopts the external orders by policy.
 * @internal
 */
export async function recoverOnStart(parts: RecoveryParts): Promise<RecoveryReport> {
  const startedMs = parts.clock.now();
  const oms = parts.orderManager as Recoverable;
  const result: RecoveryResult =
    typeof oms.recover === 'function'
      ? await oms.recover()
      : { recovered: [], unknown: [], unreadable: [] };
  await oms.flush();
  const records = await parts.journal.loadAll();
  const known = new Set<string>(records.map((record) => record.id));
  const policy = parts.options.orphans ?? 'keep';
  const external: ExternalOrder[] = [];
  let externalTrades = 0;
  const sinceMs = startedMs - (parts.options.tradesLookbackMs ?? 86_400_000);
  for (const exchange of parts.exchanges) {
    for (const report of await exchange.fetchOpenOrders()) {
      if (known.has(report.clientOrderId) || oms.getOrder(report.clientOrderId) !== undefined) {
        continue;
      }
      const handled = await handleExternal(exchange, oms, report, policy);
      // An adopted order is journaled now: its trades are no longer external.
      if (handled.action === 'adopted') known.add(report.clientOrderId);
      external.push(handled);
    }
    for (const instrumentId of parts.instruments) {
      if (venueOf(instrumentId) !== exchange.venue) continue;
      const trades = await exchange.fetchMyTrades(instrumentId, { sinceMs });
      externalTrades += trades.filter((fill) => !known.has(fill.clientOrderId)).length;
    }
  }
  return {
    journaled: records.length,
    recovered: result.recovered.map((order) => order.clientOrderId),
    unknown: result.unknown,
    unreadable: result.unreadable.length,
    fillsBooked: parts.fillsSince(),
    external,
    externalTrades,
    durationMs: parts.clock.now() - startedMs,
  };
}

async function handleExternal(
  exchange: Exchange,
  oms: Recoverable,
  report: OrderReport,
  policy: OrphanPolicy,
): Promise<ExternalOrder> {
  const base = { report, venue: exchange.venue, tags: ['external'] } as const;
  if (policy === 'keep') return { ...base, action: 'kept' };
  if (policy === 'adopt') {
    try {
      if (typeof oms.adopt !== 'function') {
        throw new ValidationError('orderManager', 'have an adopt method', 'none');
      }
      await oms.adopt(report);
      return { ...base, action: 'adopted' };
    } catch (error) {
      return { ...base, action: 'adoptFailed', error };
    }
  }
  try {
    await exchange.cancelOrder({
      instrumentId: report.instrumentId,
      clientOrderId: report.clientOrderId,
      venueOrderId: report.venueOrderId,
    });
    return { ...base, action: 'canceled' };
  } catch (error) {
    return { ...base, action: 'cancelFailed', error };
  }
}
