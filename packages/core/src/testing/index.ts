/**
 * Test helpers for code built on `@qtp/core`: conformance suites that every implementation of a
 * core contract passes. They register vitest tests, so import this entry only from test files.
 *
 * @module
 */

export type { ConformanceOrder, RepositoryConformanceOptions } from './repository-conformance.js';
export { conformanceOrders, repositoryConformance } from './repository-conformance.js';
