/**
 * The PostgreSQL side of the store, on the `pg` client (an optional peer): migrations with a
 * version table and an advisory lock, the order journal of `@qtp/oms`, and repositories with
 * units of work for the host's state. Decimals are `NUMERIC`, read back as exact strings.
 *
 * @module
 */

export type { MigrateOptions, MigrateResult, Migration } from './migrate.js';
export { loadMigrations, migrate, storeMigrations } from './migrate.js';
export type { PostgresDataStoreOptions } from './postgres-data-store.js';
export { PostgresDataStore, storeTables, withSavepoint } from './postgres-data-store.js';
export type {
  JournaledFill,
  JournaledFillQuery,
  PostgresOrderJournalOptions,
} from './postgres-order-journal.js';
export { PostgresOrderJournal } from './postgres-order-journal.js';
export type { ColumnKind, ColumnSpec, TableMapping } from './table-mapping.js';
