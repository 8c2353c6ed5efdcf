import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The same connection without the camelCase mapping, for migrations' snake_case DDL. */
  raw: Kysely<unknown>;
  dialect: DialectName;
  close(): Promise<void>;
}

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

// PostgreSQL returns int8 (bigint, count(*)) as strings; our amounts fit in 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface OpenDatabaseOptions {
  /**
   * An idle PostgreSQL connection failed (the server restarted, an administrator ended
   * it). The pool drops that connection and opens another when needed; without a
   * handler node-postgres would crash the process (pg docs, "Pool: error event").
   */
  onIdleConnectionError?: (error: Error) => void;
}

export function openDatabase(
  target: DatabaseTarget,
  options: OpenDatabaseOptions = {},
): DatabaseHandle {
  const dialect =
    target.kind === 'sqlite'
      ? new SqliteDialect({ database: openSqlite(target.file) })
      : new PostgresDialect({ pool: postgresPool(target.url, options) });
  const raw = new Kysely<unknown>({ dialect });
  const db = raw.withPlugin(new CamelCasePlugin()) as unknown as Kysely<Database>;
  return {
    db,
    raw,
    dialect: target.kind,
    close: () => raw.destroy(),
  };
}

function postgresPool(url: string, options: OpenDatabaseOptions): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on(
    'error',
    options.onIdleConnectionError ??
      ((error) => process.emitWarning(`PostgreSQL idle connection lost: ${error.message}`)),
  );
  return pool;
}

function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets the CLI read and write while `provod start` holds the database open.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  return sqlite;
}
