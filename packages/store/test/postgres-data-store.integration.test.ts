import { isQtpError } from '@qtp/core';
import { type DataStore, withUnitOfWork } from '@qtp/core/repository';
import { repositoryConformance } from '@qtp/core/testing';
import { backtestRuns, balanceSnapshots, positionSnapshots, strategyStates } from '@qtp/store';
import { migrate, PostgresDataStore, withSavepoint } from '@qtp/store/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from './support/database.js';

const CONFORMANCE_TABLE = `CREATE TABLE conformance_orders (
  id text PRIMARY KEY, symbol text NOT NULL, side text NOT NULL, quantity integer NOT NULL,
  note text, version integer NOT NULL)`;

const conformanceTables = {
  conformance_orders: {
    table: 'conformance_orders',
    columns: { symbol: 'text', side: 'text', quantity: 'integer', note: 'text' },
  },
} as const;

const schemas = new Map<DataStore, TestSchema>();
repositoryConformance({
  name: 'PostgresDataStore',
  createStore: async () => {
    const db = await createTestSchema();
    await db.pool.query(CONFORMANCE_TABLE);
    const store = new PostgresDataStore({ pool: db.pool, tables: conformanceTables });
    schemas.set(store, db);
    return store;
  },
  disposeStore: async (store) => {
    await schemas.get(store)?.dispose();
  },
  numRuns: 15,
});

describe('PostgresDataStore on the store tables', () => {
  let db: TestSchema;
  let store: PostgresDataStore;
  beforeAll(async () => {
    db = await createTestSchema();
    await migrate(db.pool);
    store = new PostgresDataStore({ pool: db.pool });
  });
  afterAll(async () => {
    await db.dispose();
  });

  it('keeps snapshot decimals exact through NUMERIC, beyond what a double holds', async () => {
    const positions = store.repository(positionSnapshots);
    await positions.add({
      id: 'p-1',
      venue: 'BINANCE',
      instrumentId: 'BTCUSDT.BINANCE',
      quantity: '0.123456789012345678',
      averagePrice: '27000.01',
      realizedPnl: '-0.1',
      currency: 'USDT',
      timeMs: 1_700_000_000_123,
    });
    const stored = await positions.get('p-1');
    expect(stored?.quantity).toBe('0.123456789012345678');
    expect(stored?.timeMs).toBe(1_700_000_000_123);
    const balances = store.repository(balanceSnapshots);
    await balances.add({
      id: 'b-1',
      venue: 'BINANCE',
      asset: 'USDT',
      free: '0.1',
      locked: '0.2',
      timeMs: 1,
    });
    // 0.1 + 0.2 is 0.30000000000000004 in binary floating point; NUMERIC keeps 0.3.
    const { rows } = await db.pool.query(
      `SELECT (free + locked)::text AS total FROM qtp_balance_snapshots`,
    );
    expect(rows[0].total).toBe('0.3');
  });

  it('queries a sweep of backtest runs by parameters and figures', async () => {
    const runs = store.repository(backtestRuns);
    const figures = [
      [5, 20, 1.2, 0.1],
      [10, 30, 0.4, 0.3],
      [5, 50, null, 0.05],
      [20, 50, 2.1, 0.2],
    ] as const;
    for (const [index, [fast, slow, sharpe, drawdown]] of figures.entries()) {
      await runs.add({
        id: `run-${index}`,
        sweepId: 'sweep-1',
        strategy: 'sma-cross',
        params: { fast, slow },
        startedMs: 0,
        finishedMs: 1_000,
        finalEquity: '10000.5',
        totalReturn: 0.05,
        sharpe,
        maxDrawdown: drawdown,
        trades: index * 3,
        analytics: { sortino: 1.5, trades: index * 3 },
      });
    }
    const best = await runs.find({
      where: { sweepId: 'sweep-1', maxDrawdown: { lte: 0.2 } },
      orderBy: [{ field: 'sharpe', direction: 'desc' }],
    });
    // Descending puts a missing Sharpe first, as the in-memory store does.
    expect(best.map((run) => run.id)).toEqual(['run-2', 'run-3', 'run-0']);
    expect(best[1]?.params).toEqual({ fast: 20, slow: 50 });
    const { rows } = await db.pool.query(
      `SELECT id FROM qtp_backtest_runs WHERE (params->>'fast')::int = 5 ORDER BY sharpe DESC NULLS LAST`,
    );
    expect(rows.map((row) => row.id)).toEqual(['run-0', 'run-2']);
  });

  it('undoes a failed nested unit under its savepoint and commits the outer one', async () => {
    await withUnitOfWork(store, async (uow) => {
      const states = uow.repository(strategyStates);
      await states.add({ id: 'sma', state: { fast: 5 }, timeMs: 1 });
      await expect(
        withSavepoint(uow, async () => {
          await states.add({ id: 'rsi', state: { period: 14 }, timeMs: 1 });
          throw new Error('the nested unit failed');
        }),
      ).rejects.toThrow('the nested unit failed');
      await withSavepoint(uow, async () => {
        await states.add({ id: 'breakout', state: {}, timeMs: 2 });
      });
    });
    const ids = (await store.repository(strategyStates).find()).map((row) => row.id);
    expect(ids).toEqual(['breakout', 'sma']);
  });

  it('refuses a stale strategy state write with a typed conflict naming both versions', async () => {
    const states = store.repository(strategyStates);
    const v1 = await states.add({ id: 'mr', state: { n: 1 }, timeMs: 1 });
    await states.update({ ...v1, state: { n: 2 } });
    const error = await states.update({ ...v1, state: { n: 3 } }).catch((e: unknown) => e);
    expect(isQtpError(error, 'CONCURRENCY_CONFLICT')).toBe(true);
    expect(error).toMatchObject({
      entity: 'strategy_states',
      id: 'mr',
      expectedVersion: 1,
      actualVersion: 2,
    });
    expect((await states.get('mr'))?.state).toEqual({ n: 2 });
  });
});
