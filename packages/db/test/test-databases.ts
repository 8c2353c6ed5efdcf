import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle, type DatabaseTarget } from '../src/connect.ts';
import { migrateToLatest } from '../src/migrator.ts';
import { newId } from '../src/ids.ts';
import { systemClock } from '../src/clock.ts';
import { tenantRepository } from '../src/repositories/tenants.ts';
import { TenantScope } from '../src/tenant-scope.ts';

export interface TestDatabase {
  handle: DatabaseHandle;
  target: DatabaseTarget;
  /** Closes the handle and deletes the database. */
  dispose(): Promise<void>;
}

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database of this dialect, migrated unless told not to. */
  create(options?: { migrate?: boolean }): Promise<TestDatabase>;
}

/** Both dialects, for `describe.each(testDialects)`: every repository test runs on each. */
export const testDialects: TestDialect[] = [
  {
    name: 'sqlite',
    async create(options = {}) {
      const dir = mkdtempSync(join(tmpdir(), 'provod-sqlite-'));
      const target: DatabaseTarget = { kind: 'sqlite', file: join(dir, 'provod.sqlite') };
      const handle = openDatabase(target);
      if (options.migrate !== false) await migrateToLatest(handle.raw);
      return {
        handle,
        target,
        dispose: async () => {
          await handle.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async create(options = {}) {
      const serverUrl = inject('postgresUrl');
      const name = `t_${newId().replaceAll('-', '')}`;
      await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
      const url = serverUrl.replace(/\/postgres$/, `/${name}`);
      const target: DatabaseTarget = { kind: 'postgres', url };
      const handle = openDatabase(target);
      if (options.migrate !== false) await migrateToLatest(handle.raw);
      return {
        handle,
        target,
        dispose: async () => {
          await handle.close();
          await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        },
      };
    },
  },
];

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Two tenants, "a" and "b", and a scope for each: the setup of every isolation test. */
export async function twoTenantScopes(
  handle: DatabaseHandle,
): Promise<{ scopeA: TenantScope; scopeB: TenantScope }> {
  const tenants = tenantRepository(handle.db, systemClock);
  const common = {
    timeZone: 'Europe/Moscow',
    language: 'ru' as const,
    recordingRetentionDays: 30,
    currency: 'RUB',
  };
  const a = await tenants.create({ slug: 'a', name: 'A', sipDomain: 'a.test', ...common });
  const b = await tenants.create({ slug: 'b', name: 'B', sipDomain: 'b.test', ...common });
  return { scopeA: new TenantScope(handle.db, a.id), scopeB: new TenantScope(handle.db, b.id) };
}
