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

export function openDatabase(target: DatabaseTarget): DatabaseHandle {
  const dialect =
    target.kind === 'sqlite'
      ? new SqliteDialect({ database: openSqlite(target.file) })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 10 }) });
  const raw = new Kysely<unknown>({ dialect });
  const db = raw.withPlugin(new CamelCasePlugin()) as unknown as Kysely<Database>;
  return {
    db,
    raw,
    dialect: target.kind,
    close: () => raw.destroy(),
  };
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
