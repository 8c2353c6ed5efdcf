import type { Selectable } from 'kysely';
import { z } from 'zod';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { CrmCallAttemptTable, CrmConnectionTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';

/**
 * A CRM connection as stored. The JSON columns come back parsed but unchecked: their
 * shapes (tokens, versioned settings) belong to the connector, which validates and
 * migrates them.
 */
export interface CrmConnectionRecord {
  id: string;
  kind: string;
  name: string;
  baseUrl: string;
  authType: string;
  integration: unknown;
  credentials: unknown;
  settings: unknown;
  settingsVersion: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type NewCrmConnection = Omit<CrmConnectionRecord, 'id' | 'createdAt' | 'updatedAt'>;

export type CrmConnectionPatch = Partial<
  Pick<CrmConnectionRecord, 'name' | 'enabled' | 'settings' | 'settingsVersion'>
>;

const toJson = (value: unknown): string | null => (value == null ? null : JSON.stringify(value));
const fromJson = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

function toConnection(row: Selectable<CrmConnectionTable>): CrmConnectionRecord {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.baseUrl,
    authType: row.authType,
    integration: fromJson(row.integration),
    credentials: fromJson(row.credentials),
    settings: fromJson(row.settings),
    settingsVersion: row.settingsVersion,
    enabled: row.enabled === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function crmConnectionRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async list(): Promise<CrmConnectionRecord[]> {
      const rows = await scope.selectFrom('crmConnections').selectAll().orderBy('name').execute();
      return rows.map(toConnection);
    },

    async get(id: string): Promise<CrmConnectionRecord | undefined> {
      const row = await scope
        .selectFrom('crmConnections')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toConnection(row);
    },

    async create(input: NewCrmConnection): Promise<CrmConnectionRecord> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await scope
        .insertInto('crmConnections', {
          id,
          kind: input.kind,
          name: input.name,
          baseUrl: input.baseUrl,
          authType: input.authType,
          integration: toJson(input.integration),
          credentials: toJson(input.credentials),
          settings: JSON.stringify(input.settings),
          settingsVersion: input.settingsVersion,
          enabled: input.enabled ? 1 : 0,
          createdAt: now,
          updatedAt: now,
        })
        .execute();
      return { id, ...input, createdAt: now, updatedAt: now };
    },

    async update(id: string, patch: CrmConnectionPatch): Promise<CrmConnectionRecord | undefined> {
      const updatedAt = isoNow(clock);
      await scope
        .updateTable('crmConnections', {
          updatedAt,
          ...(patch.name === undefined ? {} : { name: patch.name }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled ? 1 : 0 }),
          ...(patch.settings === undefined ? {} : { settings: JSON.stringify(patch.settings) }),
          ...(patch.settingsVersion === undefined
            ? {}
            : { settingsVersion: patch.settingsVersion }),
        })
        .where('id', '=', id)
        .execute();
      return repository.get(id);
    },

    /** The token pair after an install or a refresh; durable when this resolves. */
    async saveCredentials(id: string, credentials: unknown): Promise<void> {
      await scope
        .updateTable('crmConnections', {
          credentials: toJson(credentials),
          updatedAt: isoNow(clock),
        })
        .where('id', '=', id)
        .execute();
    },

    /**
     * The credentials, with the row locked until the caller's transaction ends: a no-op
     * UPDATE takes PostgreSQL's row lock (and SQLite's write lock) on either dialect.
     */
    async lockCredentials(id: string): Promise<unknown> {
      await scope
        .updateTable('crmConnections', {})
        .set((eb) => ({ updatedAt: eb.ref('updatedAt') }))
        .where('id', '=', id)
        .execute();
      return repository.loadCredentials(id);
    },

    async loadCredentials(id: string): Promise<unknown> {
      const row = await scope
        .selectFrom('crmConnections')
        .select('credentials')
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : fromJson(row.credentials);
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope
        .deleteFrom('crmConnections')
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type CrmConnectionRepository = ReturnType<typeof crmConnectionRepository>;

const stepResultSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

export type CrmStepState =
  { state: 'started' } | { state: 'done'; result: Record<string, string | number | null> };

/**
 * The idempotency records of one connection's call pipelines (the connector's
 * ProcessedSteps): a step is `started` right before its request, `done` after.
 */
export function crmStepRepository(scope: TenantScope, connectionId: string, clock: Clock) {
  return {
    async get(key: string): Promise<CrmStepState | undefined> {
      const row = await scope
        .selectFrom('crmStepRecords')
        .select(['state', 'result'])
        .where('key', '=', key)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      if (row.state !== 'done') return { state: 'started' };
      return { state: 'done', result: stepResultSchema.parse(fromJson(row.result) ?? {}) };
    },

    async markStarted(key: string): Promise<void> {
      const existing = await this.get(key);
      if (existing !== undefined) return;
      await scope
        .insertInto('crmStepRecords', {
          key,
          connectionId,
          state: 'started',
          result: null,
          updatedAt: isoNow(clock),
        })
        .execute();
    },

    async markDone(key: string, result: Record<string, string | number | null>): Promise<void> {
      const updatedAt = isoNow(clock);
      const changed = await scope
        .updateTable('crmStepRecords', { state: 'done', result: JSON.stringify(result), updatedAt })
        .where('key', '=', key)
        .executeTakeFirst();
      if (changed.numUpdatedRows > 0n) return;
      await scope
        .insertInto('crmStepRecords', {
          key,
          connectionId,
          state: 'done',
          result: JSON.stringify(result),
          updatedAt,
        })
        .execute();
    },
  };
}

export interface CrmCallAttemptRecord {
  id: string;
  connectionId: string;
  callId: string;
  attempt: number;
  outcome: string;
  error: string | null;
  trace: unknown;
  createdAt: string;
}

export type NewCrmCallAttempt = Omit<CrmCallAttemptRecord, 'id' | 'createdAt'>;

function toAttempt(row: Selectable<CrmCallAttemptTable>): CrmCallAttemptRecord {
  return {
    id: row.id,
    connectionId: row.connectionId,
    callId: row.callId,
    attempt: row.attempt,
    outcome: row.outcome,
    error: row.error,
    trace: JSON.parse(row.trace),
    createdAt: row.createdAt,
  };
}

/** Every delivery attempt of every call, with what it sent and why. */
export function crmCallAttemptRepository(scope: TenantScope, clock: Clock) {
  return {
    async add(input: NewCrmCallAttempt): Promise<CrmCallAttemptRecord> {
      const createdAt = isoNow(clock);
      const id = newId(clock().getTime());
      await scope
        .insertInto('crmCallAttempts', {
          id,
          connectionId: input.connectionId,
          callId: input.callId,
          attempt: input.attempt,
          outcome: input.outcome,
          error: input.error,
          trace: JSON.stringify(input.trace),
          createdAt,
        })
        .execute();
      return { id, ...input, createdAt };
    },

    /** Oldest first: the order support reads a call's story in. */
    async forCall(callId: string): Promise<CrmCallAttemptRecord[]> {
      const rows = await scope
        .selectFrom('crmCallAttempts')
        .selectAll()
        .where('callId', '=', callId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
      return rows.map(toAttempt);
    },
  };
}
