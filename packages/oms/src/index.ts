/**
 * The QTP order manager: validation and rounding against the instrument's rules, a pre-trade
 * gate, idempotent client order ids, the order state machine driven by the venue's execution
 * reports, a journal with reconciliation after a restart, and orders whose placement outcome is
 * unknown resolved by lookup, never sent twice.
 *
 * @module
 */

// The order events live in @qtp/core; they are re-exported here for code written against @qtp/oms.
export type {
  OrderCancelRejectedEvent,
  OrderEvent,
  OrderEventFields,
  OrderFillEvent,
  OrderRejectedEvent,
  OrderStateUnknownEvent,
  OrderStatusEvent,
  OrderStatusTopic,
} from '@qtp/core';
export type { OmsEvents } from './events.js';
export { InMemoryOrderJournal } from './order-journal.js';
export type { OrderJournal, OrderRecord } from './order-journal.js';
export { OrderManager } from './order-manager.js';
export type { OrderFilter } from './order-ledger.js';
export type {
  CancelAllResult,
  CancelFailure,
  InstrumentLookup,
  InstrumentSource,
  OrderManagerOptions,
  OrderManagerStats,
  ReconcileResult,
  RecoveryResult,
  UnreadableRecord,
} from './order-manager-options.js';
export { roundOrderRequest } from './order-rules.js';
export { approveAllGate } from './pre-trade-gate.js';
