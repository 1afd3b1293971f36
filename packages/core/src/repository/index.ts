/**
 * Repositories and units of work with in-memory implementations, for the host state a store
 * keeps (the order journal has its own narrow port in `@qtp/oms`).
 *
 * @module
 */

// repositories and units of work
export { InMemoryDataStore } from './in-memory.js';
export type {
  Collection,
  DataStore,
  Entity,
  EntityId,
  FieldFilter,
  FieldOperators,
  Filter,
  NewEntity,
  Query,
  Repository,
  RepositoryProvider,
  SortKey,
  UnitOfWork,
  UnitOfWorkState,
} from './repository.js';
export { defineCollection, withUnitOfWork } from './repository.js';
export { UnitOfWorkToken } from './tokens.js';
