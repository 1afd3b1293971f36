/**
 * The QTP store. Drivers sit behind subpaths so this entry loads no database or cache client:
 * `@qtp/store/postgres` (migrations, the order journal, repositories and units of work on `pg`),
 * `@qtp/store/redis` (the Redis tier of core's `TieredCache`, on `ioredis`) and
 * `@qtp/store/testing` (the order journal conformance suite).
 *
 * @module
 */

export type {
  BacktestRunRow,
  BalanceSnapshotRow,
  PositionSnapshotRow,
  StrategyStateRow,
} from './collections.js';
export {
  backtestRuns,
  balanceSnapshots,
  positionSnapshots,
  strategyStates,
} from './collections.js';
