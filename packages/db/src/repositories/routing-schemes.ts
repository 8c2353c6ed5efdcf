import {
  routingGraphSchema,
  type RoutingGraph,
  type RoutingScheme,
  type RoutingSchemeVersion,
  type RoutingSchemeVersionSummary,
} from '@provod/contracts';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import { readJson, writeJson } from '../json-column.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface NewRoutingSchemeVersion {
  graph: RoutingGraph;
  comment: string;
  /** Id of the user or API key saving it; null for the CLI or the system. */
  createdBy: string | null;
}

export interface NewRoutingScheme extends NewRoutingSchemeVersion {
  name: string;
}

/**
 * Routing schemes and their history. Every saved graph is a row of
 * `routing_scheme_versions` that is never changed afterwards; the scheme row only says
 * which version is current. Restoring an old graph is adding it again as a new version.
 */
export function routingSchemeRepository(scope: TenantScope, clock: Clock) {
  /** A scheme joined with the graph of its current version. */
  const schemes = () =>
    scope
      .selectFrom('routingSchemes')
      .innerJoin('routingSchemeVersions as v', (join) =>
        join
          .onRef('v.schemeId', '=', 'routingSchemes.id')
          .onRef('v.version', '=', 'routingSchemes.currentVersion')
          .onRef('v.tenantId', '=', 'routingSchemes.tenantId'),
      )
      .select([
        'routingSchemes.id',
        'routingSchemes.name',
        'routingSchemes.currentVersion',
        'routingSchemes.createdAt',
        'routingSchemes.updatedAt',
        'v.graph',
      ]);

  /** Both writes of create and addVersion land together or not at all. */
  const atomically = <T>(work: (inner: TenantScope) => Promise<T>): Promise<T> =>
    scope.executor.isTransaction
      ? work(scope)
      : scope.executor.transaction().execute((trx) => work(scope.within(trx)));

  const insertVersion = (
    inner: TenantScope,
    schemeId: string,
    version: number,
    input: NewRoutingSchemeVersion,
    now: string,
  ) =>
    inner
      .insertInto('routingSchemeVersions', {
        id: newId(clock().getTime()),
        schemeId,
        version,
        graph: writeJson(input.graph),
        comment: input.comment,
        createdBy: input.createdBy,
        createdAt: now,
      })
      .execute();

  const repository = {
    async list(): Promise<RoutingScheme[]> {
      const rows = await schemes().orderBy('routingSchemes.name').execute();
      return rows.map(toScheme);
    },

    async get(id: string): Promise<RoutingScheme | undefined> {
      const row = await schemes().where('routingSchemes.id', '=', id).executeTakeFirst();
      return row && toScheme(row);
    },

    async findByName(name: string): Promise<RoutingScheme | undefined> {
      const row = await schemes().where('routingSchemes.name', '=', name).executeTakeFirst();
      return row && toScheme(row);
    },

    async create(input: NewRoutingScheme): Promise<RoutingScheme> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await atomically(async (inner) => {
        await inner
          .insertInto('routingSchemes', {
            id,
            name: input.name,
            currentVersion: 1,
            createdAt: now,
            updatedAt: now,
          })
          .execute();
        await insertVersion(inner, id, 1, input, now);
      });
      return {
        id,
        name: input.name,
        currentVersion: 1,
        graph: input.graph,
        createdAt: now,
        updatedAt: now,
      };
    },

    /**
     * Saves `input` as the next version and makes it current. The increment happens in
     * the UPDATE itself, whose row lock (PostgreSQL) or write lock (SQLite) orders
     * concurrent saves; the unique (scheme_id, version) constraint backs that up.
     */
    async addVersion(
      id: string,
      input: NewRoutingSchemeVersion,
    ): Promise<RoutingScheme | undefined> {
      const now = isoNow(clock);
      const version = await atomically(async (inner) => {
        const bumped = await inner
          .updateTable('routingSchemes', { updatedAt: now })
          .set((eb) => ({ currentVersion: eb('currentVersion', '+', 1) }))
          .where('id', '=', id)
          .returning('currentVersion')
          .executeTakeFirst();
        if (!bumped) return undefined;
        await insertVersion(inner, id, bumped.currentVersion, input, now);
        return bumped.currentVersion;
      });
      return version === undefined ? undefined : repository.get(id);
    },

    /** Newest first, without the graphs (those come one at a time from getVersion). */
    async listVersions(id: string): Promise<RoutingSchemeVersionSummary[]> {
      const rows = await scope
        .selectFrom('routingSchemeVersions')
        .select(['schemeId', 'version', 'comment', 'createdBy', 'createdAt'])
        .where('schemeId', '=', id)
        .orderBy('version', 'desc')
        .execute();
      return rows;
    },

    async getVersion(id: string, version: number): Promise<RoutingSchemeVersion | undefined> {
      const row = await scope
        .selectFrom('routingSchemeVersions')
        .select(['schemeId', 'version', 'comment', 'createdBy', 'createdAt', 'graph'])
        .where('schemeId', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && { ...row, graph: readJson(routingGraphSchema, row.graph) };
    },

    async rename(id: string, name: string): Promise<RoutingScheme | undefined> {
      const result = await scope
        .updateTable('routingSchemes', { name, updatedAt: isoNow(clock) })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows === 0n ? undefined : repository.get(id);
    },

    /** Removes the scheme and, by cascade, its whole history. */
    async delete(id: string): Promise<boolean> {
      const result = await scope
        .deleteFrom('routingSchemes')
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /** The tenant's phone numbers routed by the scheme (E.164). */
    async phoneNumbersUsing(id: string): Promise<string[]> {
      const rows = await scope
        .selectFrom('phoneNumbers')
        .select('e164')
        .where('routingSchemeId', '=', id)
        .orderBy('e164')
        .execute();
      return rows.map((row) => row.e164);
    },

    /** Which of `numbers` are not extensions of the tenant. */
    async missingExtensions(numbers: readonly string[]): Promise<string[]> {
      if (numbers.length === 0) return [];
      const rows = await scope
        .selectFrom('extensions')
        .select('number')
        .where('number', 'in', [...numbers])
        .execute();
      const found = new Set(rows.map((row) => row.number));
      return numbers.filter((number) => !found.has(number));
    },

    /** Which of `ids` are not sound files of the tenant. */
    async missingSoundFiles(ids: readonly string[]): Promise<string[]> {
      if (ids.length === 0) return [];
      const rows = await scope
        .selectFrom('soundFiles')
        .select('id')
        .where('id', 'in', [...ids])
        .execute();
      const found = new Set(rows.map((row) => row.id));
      return ids.filter((id) => !found.has(id));
    },
  };
  return repository;
}

export type RoutingSchemeRepository = ReturnType<typeof routingSchemeRepository>;

function toScheme(row: {
  id: string;
  name: string;
  currentVersion: number;
  graph: string;
  createdAt: string;
  updatedAt: string;
}): RoutingScheme {
  return {
    id: row.id,
    name: row.name,
    currentVersion: row.currentVersion,
    graph: readJson(routingGraphSchema, row.graph),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
