/**
 * Conformance suites and fixtures for stores: the contract every `OrderJournal` passes, and the
 * order records it is tested with. Registers vitest suites; import it from test files only.
 *
 * @module
 */

export type { OrderJournalConformanceOptions } from './order-journal-conformance.js';
export { orderJournalConformance } from './order-journal-conformance.js';
export type { LifecycleEnd } from './order-records.js';
export { orderLifecycle } from './order-records.js';
