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
  ExchangeUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  InvalidOrderTransitionError,
  isQtpError,
  isRetryableError,
  NetworkError,
  OrderNotFoundError,
  OrderStateUnknownError,
  QtpError,
  RateLimitError,
  TimeoutError,
  UnknownSymbolError,
  ValidationError,
} from './errors.js';
export type { QtpErrorCode, QtpErrorOptions, ValidationIssue } from './errors.js';

// numbers
export {
  Decimal,
  decimalPlacesOf,
  formatDecimal,
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
export type { ClientOrderId, IdGenerator, InstrumentId, SeededIdGeneratorOptions } from './identifiers.js';
