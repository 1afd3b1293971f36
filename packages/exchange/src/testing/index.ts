/**
 * Test helpers for code built on `@qtp/exchange`: the conformance suite every `Exchange`
 * implementation passes. It registers vitest tests, so import this entry only from test files.
 *
 * @module
 */

export { exchangeConformance } from './exchange-conformance.js';
export type {
  ExchangeConformanceCase,
  ExchangeConformanceOptions,
  ExchangeFixture,
} from './exchange-conformance.js';
