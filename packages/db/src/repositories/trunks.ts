import { dialPrefixesSchema, trunkTransportSchema, type TrunkWithSecret } from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { readJson, writeJson } from '../json-column.ts';
import type { TrunkTable } from '../schema.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';

export type TrunkRecord = TrunkWithSecret;

export type NewTrunk = Omit<TrunkRecord, 'id' | 'createdAt' | 'updatedAt'>;

export type TrunkPatch = Partial<NewTrunk>;

export function trunkRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    /** In the order outbound routing tries them: priority, then name. */
    async list(): Promise<TrunkRecord[]> {
      const rows = await scope
        .selectFrom('trunks')
        .selectAll()
        .orderBy('priority')
        .orderBy('name')
        .execute();
      return rows.map(toRecord);
    },

    async get(id: string): Promise<TrunkRecord | undefined> {
      const row = await scope
        .selectFrom('trunks')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async findByName(name: string): Promise<TrunkRecord | undefined> {
      const row = await scope
        .selectFrom('trunks')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async create(input: NewTrunk): Promise<TrunkRecord> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await scope
        .insertInto('trunks', { id, ...toColumns(input), createdAt: now, updatedAt: now })
        .execute();
      return { id, ...input, createdAt: now, updatedAt: now };
    },

    async update(id: string, patch: TrunkPatch): Promise<TrunkRecord | undefined> {
      const current = await repository.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch, updatedAt: isoNow(clock) };
      await scope
        .updateTable('trunks', { ...toColumns(next), updatedAt: next.updatedAt })
        .where('id', '=', id)
        .execute();
      return next;
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('trunks').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type TrunkRepository = ReturnType<typeof trunkRepository>;

function toColumns(input: NewTrunk) {
  return {
    name: input.name,
    host: input.host,
    port: input.port,
    transport: input.transport,
    username: input.username,
    password: input.password,
    authUsername: input.authUsername,
    fromDomain: input.fromDomain,
    register: Number(input.register),
    registerExpiresSeconds: input.registerExpiresSeconds,
    dialPrefixes: writeJson(input.dialPrefixes),
    priority: input.priority,
    enabled: Number(input.enabled),
  };
}

/**
 * Every enabled trunk that registers with its provider, across the active tenants: the
 * SIP edge keeps those registrations up for the whole instance.
 */
export async function listRegisteringTrunks(
  db: Executor,
): Promise<(TrunkRecord & { readonly tenantId: string })[]> {
  const rows = await db
    .selectFrom('trunks')
    .innerJoin('tenants', 'tenants.id', 'trunks.tenantId')
    .selectAll('trunks')
    .where('trunks.register', '=', 1)
    .where('trunks.enabled', '=', 1)
    .where('tenants.status', '=', 'active')
    .orderBy('trunks.id')
    .execute();
  return rows.map((row) => ({ ...toRecord(row), tenantId: row.tenantId }));
}

function toRecord(row: Selectable<TrunkTable>): TrunkRecord {
  return {
    id: row.id,
    name: row.name,
    host: row.host,
    port: row.port,
    transport: trunkTransportSchema.parse(row.transport),
    username: row.username,
    password: row.password,
    authUsername: row.authUsername,
    fromDomain: row.fromDomain,
    register: row.register === 1,
    registerExpiresSeconds: row.registerExpiresSeconds,
    dialPrefixes: readJson(dialPrefixesSchema, row.dialPrefixes),
    priority: row.priority,
    enabled: row.enabled === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
