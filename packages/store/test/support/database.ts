import { randomBytes } from 'node:crypto';
import { sharedPostgres } from '@qtp/test-services';
import pg from 'pg';

/** A schema of its own for one test, with a pool whose `search_path` is that schema. */
export interface TestSchema {
  readonly url: string;
  readonly schema: string;
  readonly pool: pg.Pool;
  /** Opens another pool on the same schema, as a second process would. */
  pool2(options?: pg.PoolConfig): pg.Pool;
  dispose(): Promise<void>;
}

let database: Promise<string> | undefined;

/** The database of this test file on the run's shared PostgreSQL cluster. */
export function postgresUrl(): Promise<string> {
  database ??= sharedPostgres().then((cluster) => cluster.takeDatabase('store'));
  return database;
}

/** Creates an empty schema and a pool on it; `dispose` closes the pools and drops the schema. */
export async function createTestSchema(
  options: pg.PoolConfig = {},
  server?: string,
): Promise<TestSchema> {
  const url = server ?? (await postgresUrl());
  const schema = `qtp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const pools: pg.Pool[] = [];
  const open = (extra: pg.PoolConfig = {}): pg.Pool => {
    const pool = new pg.Pool({
      connectionString: url,
      options: `-c search_path=${schema}`,
      max: 4,
      ...options,
      ...extra,
    });
    // A pool whose idle client lost its server must not crash the test process.
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  };
  const pool = open();
  return {
    url,
    schema,
    pool,
    pool2: open,
    async dispose() {
      await Promise.all(pools.map((each) => each.end().catch(() => undefined)));
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
