import {
  soundContentTypeSchema,
  soundPurposeSchema,
  type SoundContentType,
  type SoundFile,
  type SoundPurpose,
} from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import type { SoundFileTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';

/** A sound as stored: the API's fields plus where its bytes are, relative to the data directory. */
export type SoundFileRecord = SoundFile & { storagePath: string };

/**
 * The caller chooses the id: the file is written under a name derived from it before the
 * row exists, so that the row never points at bytes that are not there yet.
 */
export interface NewSoundFile {
  id: string;
  name: string;
  purpose: SoundPurpose;
  originalFilename: string;
  contentType: SoundContentType;
  sizeBytes: number;
  storagePath: string;
  durationMs: number | null;
}

export type SoundFilePatch = Partial<Pick<NewSoundFile, 'name' | 'purpose'>>;

export function soundFileRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async list(): Promise<SoundFileRecord[]> {
      const rows = await scope
        .selectFrom('soundFiles')
        .selectAll()
        .orderBy('name')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },

    async get(id: string): Promise<SoundFileRecord | undefined> {
      const row = await scope
        .selectFrom('soundFiles')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async create(input: NewSoundFile): Promise<SoundFileRecord> {
      const createdAt = isoNow(clock);
      await scope.insertInto('soundFiles', { ...input, createdAt }).execute();
      return { ...input, createdAt };
    },

    async update(id: string, patch: SoundFilePatch): Promise<SoundFileRecord | undefined> {
      const current = await repository.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch };
      await scope
        .updateTable('soundFiles', { name: next.name, purpose: next.purpose })
        .where('id', '=', id)
        .execute();
      return next;
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('soundFiles').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type SoundFileRepository = ReturnType<typeof soundFileRepository>;

function toRecord(row: Selectable<SoundFileTable>): SoundFileRecord {
  return {
    id: row.id,
    name: row.name,
    purpose: soundPurposeSchema.parse(row.purpose),
    originalFilename: row.originalFilename,
    contentType: soundContentTypeSchema.parse(row.contentType),
    sizeBytes: row.sizeBytes,
    storagePath: row.storagePath,
    durationMs: row.durationMs,
    createdAt: row.createdAt,
  };
}
