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
import { decodeCursor, encodeCursor } from '../cursor.ts';
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

    async list(query: RecordingQuery): Promise<Page<RecordingRecord>> {
      let select = scope
        .selectFrom('recordings')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (query.callId !== undefined) select = select.where('callId', '=', query.callId);
      if (query.cursor !== undefined) {
        const [lastId = ''] = decodeCursor(query.cursor, 1);
        select = select.where('id', '<', lastId);
      }
      const rows = await select.execute();
      const items = rows.slice(0, query.limit).map(toRecord);
      const last = items.at(-1);
      return {
        items,
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.id]) : null,
      };
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
 * Retention clean-up across all tenants, so it deliberately bypasses `TenantScope`: the
 * operator's job runs it, never a tenant request. Returns the storage paths of the
 * deleted rows for the job to delete the files (rows first: a file left behind is
 * garbage, a row left without its file would be a broken recording in the list).
 */
export async function deleteExpiredRecordings(executor: Executor, now: Date): Promise<string[]> {
  const rows = await executor
    .deleteFrom('recordings')
    .where('expiresAt', '<=', now.toISOString())
    .returning('storagePath')
    .execute();
  return rows.map((row) => row.storagePath);
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
