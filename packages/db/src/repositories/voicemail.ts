import {
  ProvodError,
  voicemailInputSchema,
  type Page,
  type VoicemailInput,
  type VoicemailMessage,
  type VoicemailQuery,
} from '@provod/contracts';
import type { Selectable } from 'kysely';
import type { Clock } from '../clock.ts';
import { pageNewestFirst } from '../cursor.ts';
import { newId } from '../ids.ts';
import type { VoicemailMessageTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';
import { requireCall } from './recordings.ts';

/** A voicemail message as stored: the API view without its URL, plus where the file lives. */
export type VoicemailRecord = Omit<VoicemailMessage, 'contentUrl'> & { storagePath: string };

export function voicemailRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async create(input: VoicemailInput): Promise<VoicemailRecord> {
      const fields = voicemailInputSchema.parse(input);
      // Foreign keys alone would accept another tenant's extension or call.
      const mailbox = await scope
        .selectFrom('extensions')
        .select('id')
        .where('id', '=', fields.extensionId)
        .executeTakeFirst();
      if (!mailbox) throw new ProvodError('not_found', `extension ${fields.extensionId} not found`);
      if (fields.callId !== null) await requireCall(scope, fields.callId);
      const now = clock();
      const record: VoicemailRecord = {
        id: newId(now.getTime()),
        ...fields,
        heard: false,
        createdAt: now.toISOString(),
      };
      await scope.insertInto('voicemailMessages', { ...record, heard: 0 }).execute();
      return record;
    },

    list(query: VoicemailQuery): Promise<Page<VoicemailRecord>> {
      return pageNewestFirst(
        query,
        (olderThanId, take) => {
          let select = scope
            .selectFrom('voicemailMessages')
            .selectAll()
            .orderBy('id', 'desc')
            .limit(take);
          if (query.extensionId !== undefined) {
            select = select.where('extensionId', '=', query.extensionId);
          }
          if (query.heard !== undefined) select = select.where('heard', '=', Number(query.heard));
          if (olderThanId !== undefined) select = select.where('id', '<', olderThanId);
          return select.execute();
        },
        toRecord,
      );
    },

    async get(id: string): Promise<VoicemailRecord | undefined> {
      const row = await scope
        .selectFrom('voicemailMessages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async markHeard(id: string, heard: boolean): Promise<VoicemailRecord | undefined> {
      await scope
        .updateTable('voicemailMessages', { heard: Number(heard) })
        .where('id', '=', id)
        .execute();
      return repository.get(id);
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope
        .deleteFrom('voicemailMessages')
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type VoicemailRepository = ReturnType<typeof voicemailRepository>;

function toRecord(row: Selectable<VoicemailMessageTable>): VoicemailRecord {
  return {
    id: row.id,
    extensionId: row.extensionId,
    callId: row.callId,
    caller: row.caller,
    storagePath: row.storagePath,
    durationSeconds: row.durationSeconds,
    heard: row.heard === 1,
    createdAt: row.createdAt,
  };
}
