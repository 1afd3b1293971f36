/**
 * The QTP kernel: the domain model (instruments, prices and quantities, orders, fills, market
 * data, the L2 order book, identifiers), the typed event bus, clocks, injection tokens and the
 * error hierarchy that every other QTP package builds on.
 *
 * @module
 */

// errors
export {
  AuthenticationError,
  ConcurrencyConflictError,
  ExchangeUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  InvalidOrderTransitionError,
  isQtpError,
  isRetryableError,
  QTP_ERROR_CODES,
  NetworkError,
  OrderNotFoundError,
  OrderStateUnknownError,
  QtpError,
  RateLimitError,
  TimeoutError,
  UnknownSymbolError,
  ValidationError,
} from './errors.js';
export type {
  ConcurrencyConflict,
  QtpErrorCode,
  QtpErrorOptions,
  ValidationIssue,
} from './errors.js';

// numbers
export {
  compareDecimals,
  Decimal,
  decimalPlacesOf,
  formatDecimal,
  isDecimal,
  toDecimal,
  toNonNegativeDecimal,
  toPositiveDecimal,
} from './decimal.js';
export type { DecimalInput } from './decimal.js';

// identifiers
export {
  instrumentId,
  isClientOrderId,
  parseInstrumentId,
  RandomIdGenerator,
  SeededIdGenerator,
  SeededRandom,
  symbolOf,
  toClientOrderId,
  venueOf,
} from './identifiers.js';
export type {
  ClientOrderId,
  IdGenerator,
  InstrumentId,
  SeededIdGeneratorOptions,
} from './identifiers.js';

// instruments, money and orders
export { addMoney, createMoney, moneyJsonSchema, moneyToJSON, parseMoney } from './money.js';
export type { Money, MoneyJson } from './money.js';
export { decimalStringSchema, fromZodError, parseWith } from './zod-errors.js';
export { roundToIncrement } from './increment.js';
export type { IncrementRounding } from './increment.js';
export { Instrument, instrumentJsonSchema, parseInstrument } from './instrument.js';
export type {
  InstrumentJson,
  InstrumentOptions,
  InstrumentRule,
  InstrumentRuleIssue,
  OrderTerms,
  RoundedOrderTerms,
} from './instrument.js';
export {
  LIQUIDITY_SIDES,
  ORDER_SIDES,
  ORDER_STATUSES,
  ORDER_TYPES,
  TIMES_IN_FORCE,
} from './orders/order-types.js';
export type {
  LiquiditySide,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from './orders/order-types.js';
export {
  createOrderRequest,
  orderRequestJsonSchema,
  orderRequestToJSON,
  parseOrderRequest,
  validateOrderRequest,
} from './orders/order-request.js';
export type { OrderRequest, OrderRequestInput, OrderRequestJson } from './orders/order-request.js';
export { createFill, fillJsonSchema, fillNotional, fillToJSON, parseFill } from './orders/fill.js';
export type { Fill, FillInput, FillJson } from './orders/fill.js';
export {
  canTransition,
  isOpenOrderStatus,
  isTerminalOrderStatus,
  ORDER_TRANSITIONS,
  TERMINAL_ORDER_STATUSES,
} from './orders/order-state.js';
export { Order } from './orders/order.js';
export { PARENT_TAG_PREFIX, parentClientOrderIdOf, parentTag } from './orders/parent-tag.js';
export type { OrderOptions } from './orders/order.js';
export { orderSnapshotSchema } from './orders/order-snapshot.js';
export type { OrderSnapshot } from './orders/order-snapshot.js';
export type {
  ExecutionEvents,
  ExecutionFillEvent,
  ExecutionOrderUpdateEvent,
  OrderAck,
  OrderGateway,
  OrderRef,
  OrderReport,
} from './orders/order-gateway.js';
export type {
  OrderView,
  PreTradeContext,
  PreTradeDecision,
  PreTradeGate,
  PreTradeRefusal,
} from './orders/pre-trade-gate.js';
export type {
  ChildOrderView,
  ExecutionAlgorithm,
  ExecutionContext,
  ParentOrderStatus,
  ParentOrderView,
} from './orders/execution.js';
export type { AssetBalance, BalanceView } from './balance-view.js';
export type { PositionView } from './position-view.js';

// market data and the L2 order book
export {
  barIntervalToMs,
  barSchema,
  bookDeltaSchema,
  bookLevelSchema,
  bookSnapshotSchema,
  createBar,
  createBookDelta,
  createBookSnapshot,
  createQuoteTick,
  createTradeTick,
  isBarInterval,
  quoteTickSchema,
  tradeTickSchema,
} from './market-data.js';
export type {
  AggressorSide,
  Bar,
  BarInterval,
  BarIntervalUnit,
  BookDelta,
  BookLevel,
  BookSnapshot,
  QuoteTick,
  TradeTick,
} from './market-data.js';
export { BarSeries } from './bar-series.js';
export type { BarSeriesColumns, BarSeriesOptions, BarSeriesRow } from './bar-series.js';
export { OrderBook } from './order-book.js';
export type {
  ApplyDeltaResult,
  AverageFillPriceResult,
  EmptySideEstimate,
  FillEstimate,
  OrderBookOptions,
} from './order-book.js';

// events
export {
  createBarEvent,
  createBookDeltaEvent,
  createBookSnapshotEvent,
  createQuoteTickEvent,
  createTradeTickEvent,
  MARKET_DATA_EVENT_TYPES,
  marketDataEventSchema,
  marketDataEventToJSON,
  marketDataPayload,
  parseMarketDataEvent,
} from './events/market-data-events.js';
export type {
  BarEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  MarketDataEvent,
  MarketDataEventJson,
  MarketDataEventType,
  QuoteTickEvent,
  TradeTickEvent,
} from './events/market-data-events.js';
export { ORDER_ANOMALY_KINDS } from './events/order-anomaly.js';
export { orderEventToJSON, parseOrderEvent } from './events/order-event-codec.js';
export type { OrderEventJson } from './events/order-event-codec.js';
export { ORDER_STATUS_TOPICS } from './events/order-events.js';
export type {
  OrderCancelRejectedEvent,
  OrderEvent,
  OrderEventFields,
  OrderEvents,
  OrderFillEvent,
  OrderRejectedEvent,
  OrderStateUnknownEvent,
  OrderStatusEvent,
  OrderStatusTopic,
} from './events/order-events.js';
export type { OrderAnomalyEvent, OrderAnomalyKind } from './events/order-anomaly.js';
export type { OrderDenial, OrderDeniedEvent, OrderDenialSource } from './events/order-denied.js';
export { EXECUTION_ENDED_TOPIC, parseExecutionEndedEvent } from './events/execution-ended.js';
export type { ExecutionEndedEvent, TransactionCostReport } from './events/execution-ended.js';
export {
  createSystemErrorEvent,
  parseSystemEvent,
  SYSTEM_ERROR_TOPIC,
  SYSTEM_HEALTH_TOPIC,
} from './events/system-events.js';
export type {
  SystemErrorEvent,
  SystemEvent,
  SystemHealthEvent,
  SystemHealthStatus,
} from './events/system-events.js';
export {
  parseTradingStateChangedEvent,
  TRADING_STATE_TOPIC,
  TRADING_STATES,
} from './events/trading-state.js';
export type {
  TradingState,
  TradingStateChangedEvent,
  TradingStateScope,
} from './events/trading-state.js';

// logging without a dependency (the pino logger is in `@qtp/core/observability`)
export { createConsoleLogger } from './logger.js';
export type { ConsoleLoggerOptions, LogFields, Logger, LogLevel } from './logger.js';

// clocks, event bus and injection tokens
export { LiveClock } from './clock.js';
export type { Clock, LiveClockOptions, TimerCallback, TimerId } from './clock.js';
export { SimulatedClock } from './simulated-clock.js';
export type { SimulatedClockOptions } from './simulated-clock.js';
export type { EventPublisher } from './event-publisher.js';
export { BUS_ERROR_TOPIC, DEFAULT_MAX_PUBLISH_DEPTH, EventBus } from './event-bus.js';
export type {
  BusEvents,
  BusTopic,
  EventBusOptions,
  EventBusStats,
  EventHandler,
  HandlerErrorEvent,
  MatchingTopic,
  PatternPayload,
  SubscribeOptions,
  TopicPattern,
  TopicStats,
  TopicWildcards,
  Unsubscribe,
  WaitForIdleOptions,
} from './event-bus.js';
export type { InstrumentProvider } from './instrument-provider.js';
export {
  ClockToken,
  createInjectionToken,
  eventBusToken,
  IdGeneratorToken,
  InstrumentProviderToken,
  LoggerToken,
  OrderGatewayToken,
  PositionViewToken,
} from './tokens.js';
export type { InjectionToken, TokenType } from './tokens.js';
