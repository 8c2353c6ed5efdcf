import {
  ProvodError,
  recordingFormatSchema,
  recordingInputSchema,
  type Page,
  type Recording,
  type RecordingInput,
  type RecordingQuery,
} from '@provod/contracts';
import type { Selectable } from 'kysely';
import type { Clock } from '../clock.ts';
import { pageNewestFirst } from '../cursor.ts';
import { newId } from '../ids.ts';
import type { RecordingTable } from '../schema.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';

/** A recording as stored: the API view without its URL, plus where the file lives. */
export type RecordingRecord = Omit<Recording, 'contentUrl'> & { storagePath: string };

const dayMs = 24 * 60 * 60 * 1000;

export function recordingRepository(scope: TenantScope, clock: Clock) {
  return {
    /** `retentionDays` is the tenant's `recordingRetentionDays` at the time of recording. */
    async create(input: RecordingInput, retentionDays: number): Promise<RecordingRecord> {
      const fields = recordingInputSchema.parse(input);
      if (fields.callId !== null) await requireCall(scope, fields.callId);
      const now = clock();
      const record: RecordingRecord = {
        id: newId(now.getTime()),
        ...fields,
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + retentionDays * dayMs).toISOString(),
      };
      await scope.insertInto('recordings', record).execute();
      return record;
    },

    list(query: RecordingQuery): Promise<Page<RecordingRecord>> {
      return pageNewestFirst(
        query,
        (olderThanId, take) => {
          let select = scope.selectFrom('recordings').selectAll().orderBy('id', 'desc').limit(take);
          if (query.callId !== undefined) select = select.where('callId', '=', query.callId);
          if (olderThanId !== undefined) select = select.where('id', '<', olderThanId);
          return select.execute();
        },
        toRecord,
      );
    },

    async get(id: string): Promise<RecordingRecord | undefined> {
      const row = await scope
        .selectFrom('recordings')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('recordings').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type RecordingRepository = ReturnType<typeof recordingRepository>;

/**
 * Retention clean-up runs across all tenants, so these two deliberately bypass
 * `TenantScope`: the operator's job calls them, never a tenant request. The job deletes
 * the files of a batch first and the rows after, so a crash in between is finished by the
 * retry (the rows are still there to name the files); rows first would orphan the files.
 */
export async function expiredRecordings(
  executor: Executor,
  now: Date,
  limit: number,
): Promise<{ id: string; storagePath: string }[]> {
  return executor
    .selectFrom('recordings')
    .select(['id', 'storagePath'])
    .where('expiresAt', '<=', now.toISOString())
    .orderBy('expiresAt')
    .limit(limit)
    .execute();
}

export async function deleteRecordingRows(executor: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await executor.deleteFrom('recordings').where('id', 'in', ids).execute();
}

/** The call must be this tenant's: a foreign key alone would accept another tenant's call. */
export async function requireCall(scope: TenantScope, callId: string): Promise<void> {
  const call = await scope
    .selectFrom('calls')
    .select('id')
    .where('id', '=', callId)
    .executeTakeFirst();
  if (!call) throw new ProvodError('not_found', `call ${callId} not found`);
}

function toRecord(row: Selectable<RecordingTable>): RecordingRecord {
  return {
    id: row.id,
    callId: row.callId,
    storagePath: row.storagePath,
    format: recordingFormatSchema.parse(row.format),
    durationSeconds: row.durationSeconds,
    sizeBytes: row.sizeBytes,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
