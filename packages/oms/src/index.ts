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
export { EXTERNAL_TAG } from './adopted-order.js';
export type { AdoptOptions } from './adopted-order.js';
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

export { ExecutionAlgorithmBase } from './execution/execution-algorithm-base.js';
export type { MarketView, ParentOrderOptions } from './execution/execution-algorithm-base.js';
export { Iceberg } from './execution/iceberg.js';
export type { IcebergOptions } from './execution/iceberg.js';
export { ParentOrder } from './execution/parent-order.js';
export { Pov } from './execution/pov.js';
export type { PovOptions } from './execution/pov.js';
export { Twap } from './execution/twap.js';
export type { TwapOptions } from './execution/twap.js';
export { profileShare, volumeProfile } from './execution/volume-profile.js';
export type { VolumeProfile } from './execution/volume-profile.js';
export { Vwap } from './execution/vwap.js';
export type { VwapOptions } from './execution/vwap.js';
export { transactionCosts } from './execution/tca.js';
export type { TcaTrade, TransactionCostReport } from './execution/tca.js';
export {
  createExecution,
  JournaledExecution,
  recoverParents,
} from './execution/parent-journal.js';
export type {
  ExecutionSpec,
  JournaledExecutionOptions,
  ParentJournal,
  ParentRecord,
  RecoverParentsOptions,
  RecoveredParent,
  RecoveryOrders,
  RestartPolicy,
} from './execution/parent-journal.js';
export type { TransactionCostOptions } from './execution/tca.js';
export { LiveRouter } from './execution/live-router.js';
export type {
  LiveRouterOptions,
  RoutedChild,
  RoutedOrder,
  RoutedOrderStatus,
  RouterOrders,
  RouterVenue,
} from './execution/live-router.js';
export { routeOrder } from './execution/smart-route.js';
export type { RouteLevel, RoutePlan, RouteSlice, RouteVenue } from './execution/smart-route.js';
