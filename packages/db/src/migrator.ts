import { Migrator, type Kysely, type Migration, type MigrationResult } from 'kysely';
import * as initial from './migrations/0001-initial.ts';
import * as nodeSecrets from './migrations/0002-node-secrets.ts';
import * as crm from './migrations/0003-crm.ts';

/** Migrations in order; names sort, and a name once released never changes. */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-node-secrets': nodeSecrets,
  '0003-crm': crm,
};

export interface MigrationReport {
  applied: string[];
}

export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationReport> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed`, { cause: error });
  }
  return { applied: (results ?? []).map((r) => r.migrationName) };
}
