import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ValidationError } from '@qtp/core';
import type { Pool, PoolClient } from 'pg';

/** One schema migration: a version, a name and the SQL it runs in one transaction. */
export interface Migration {
  /** The version, a positive integer; migrations run in increasing version order. */
  readonly version: number;
  /** The name, from the file name after the version, such as `order_journal`. */
  readonly name: string;
  /** The SQL text. */
  readonly sql: string;
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The migrations to apply (default {@link storeMigrations}: this package's own). */
  migrations?: readonly Migration[];
  /** The table that records applied versions (default `qtp_schema_migrations`). */
  versionTable?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** The versions this call applied, in order; empty when the schema was up to date. */
  readonly applied: readonly number[];
  /** The highest version applied in the database after the call. */
  readonly currentVersion: number;
}

// The key of the session advisory lock every migrator takes: one migrator at a time per database.
const MIGRATION_LOCK_KEY = 4_170_825_301;
const FILE_PATTERN = /^(\d+)_([a-z0-9_]+)\.sql$/;
const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads the migrations in a directory: every file named `<version>_<name>.sql`, sorted by
 * version.
 * @throws `ValidationError` naming the file when two files share a version
 * @example
 * ```ts
 * import { loadMigrations } from '@qtp/store/postgres';
 * const mine = loadMigrations('./migrations');
 * ```
 */
export function loadMigrations(directory: string | URL): Migration[] {
  const path = typeof directory === 'string' ? directory : fileURLToPath(directory);
  const migrations: Migration[] = [];
  for (const file of readdirSync(path).sort()) {
    const match = FILE_PATTERN.exec(file);
    if (match === null) continue;
    const version = Number(match[1]);
    if (migrations.some((migration) => migration.version === version)) {
      throw new ValidationError('migrations', 'hold one file per version', file);
    }
    migrations.push({ version, name: match[2]!, sql: readFileSync(`${path}/${file}`, 'utf8') });
  }
  return migrations.sort((a, b) => a.version - b.version);
}

/**
 * Returns this package's migrations (the order journal, snapshots, strategy state and backtest
 * results), read from its `migrations` folder.
 * @example
 * ```ts
 * import { storeMigrations } from '@qtp/store/postgres';
 * console.log(storeMigrations().map((migration) => migration.name));
 * ```
 */
export function storeMigrations(): Migration[] {
  return loadMigrations(new URL('../../migrations/', import.meta.url));
}

function checksumOf(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex');
}

/**
 * Brings the database's schema (the connection's `search_path`) up to date: takes a session
 * advisory lock so that two processes never migrate at once (the second waits, then finds
 * nothing left to do), creates the version table when missing, and applies each migration not
 * yet recorded in its own transaction, together with its version row.
 *
 * @throws `ValidationError` naming `migrations` when an applied migration's SQL has changed since
 * (its checksum differs), or `versionTable` when the name is not a plain identifier
 * @throws what PostgreSQL throws when a migration fails; that migration is rolled back
 * @example
 * ```ts
 * import pg from 'pg';
 * import { migrate } from '@qtp/store/postgres';
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const { applied } = await migrate(pool);
 * ```
 */
export async function migrate(pool: Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const table = options.versionTable ?? 'qtp_schema_migrations';
  if (!IDENTIFIER.test(table)) {
    throw new ValidationError('versionTable', 'be a lower-case SQL identifier', table);
  }
  const migrations = [...(options.migrations ?? storeMigrations())].sort(
    (a, b) => a.version - b.version,
  );
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyPending(client, table, migrations);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyPending(
  client: PoolClient,
  table: string,
  migrations: readonly Migration[],
): Promise<MigrateResult> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${table} (
       version    integer PRIMARY KEY,
       name       text NOT NULL,
       checksum   text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now()
     )`,
  );
  const { rows } = await client.query<{ version: number; checksum: string }>(
    `SELECT version, checksum FROM ${table}`,
  );
  const done = new Map(rows.map((row) => [row.version, row.checksum]));
  const applied: number[] = [];
  for (const migration of migrations) {
    const checksum = checksumOf(migration);
    const recorded = done.get(migration.version);
    if (recorded !== undefined) {
      if (recorded !== checksum) {
        throw new ValidationError(
          'migrations',
          `keep the SQL of applied version ${migration.version} unchanged`,
          migration.name,
        );
      }
      continue;
    }
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${table} (version, name, checksum) VALUES ($1, $2, $3)`, [
        migration.version,
        migration.name,
        checksum,
      ]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    applied.push(migration.version);
    done.set(migration.version, checksum);
  }
  return { applied, currentVersion: Math.max(0, ...done.keys()) };
}
