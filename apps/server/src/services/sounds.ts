import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import {
  ProvodError,
  soundMaxBytes,
  soundUpdateSchema,
  soundUploadQuerySchema,
  type SoundContentType,
  type SoundUpdate,
  type SoundUploadQuery,
} from '@provod/contracts';
import { newId, soundFileRepository, type SoundFileRecord } from '@provod/db';
import { probeAudio } from '../sounds/audio-probe.ts';
import {
  openStoredAudio,
  removeStoredFile,
  storedFilePath,
  type AudioContent,
} from './stored-audio.ts';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

/**
 * Sound files: the row in `sound_files`, the bytes under
 * `<dataDir>/sounds/<tenantId>/<soundId>.<wav|mp3>`. The bytes are written to a temporary
 * file and renamed to their final name before the row is committed, so no reader ever
 * sees a row without its file, nor a half-written file under a final name; a failed
 * commit removes the file again.
 */
export function soundService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => soundFileRepository(tenantScope(deps, ctx), deps.clock);

  async function remove(ctx: TenantContext, id: string): Promise<SoundFileRecord> {
    return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
      const repo = soundFileRepository(scope, deps.clock);
      const before = (await repo.get(id)) ?? notFound(id);
      await repo.delete(id);
      await record('delete', 'sound', id, before, null);
      return before;
    });
  }

  return {
    list: (ctx: TenantContext) => read(ctx).list(),

    async get(ctx: TenantContext, id: string): Promise<SoundFileRecord> {
      return (await read(ctx).get(id)) ?? notFound(id);
    },

    async upload(
      ctx: TenantContext,
      query: SoundUploadQuery,
      contentType: SoundContentType,
      bytes: Buffer,
    ): Promise<SoundFileRecord> {
      const fields = soundUploadQuerySchema.parse(query);
      if (bytes.length === 0) {
        throw new ProvodError('validation_failed', 'the body is empty: send the sound file', [
          { path: 'body', message: 'empty' },
        ]);
      }
      if (bytes.length > soundMaxBytes) {
        throw new ProvodError(
          'payload_too_large',
          `sound files are limited to ${soundMaxBytes} bytes`,
        );
      }
      const probe = probeAudio(contentType, bytes);
      const id = newId(deps.clock().getTime());
      // Stored with '/' whatever the OS, so the database moves between machines.
      const storagePath = posix.join('sounds', ctx.tenantId, `${id}.${probe.format}`);
      const finalPath = storedFilePath(deps.dataDir, storagePath);
      const tempPath = join(dirname(finalPath), `.${id}.${probe.format}.partial`);
      await mkdir(dirname(finalPath), { recursive: true });

      try {
        await writeFile(tempPath, bytes, { flag: 'wx' });
        await rename(tempPath, finalPath);
        return await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
          const sound = await soundFileRepository(scope, deps.clock).create({
            id,
            name: fields.name,
            purpose: fields.purpose,
            originalFilename: fields.filename ?? `${fields.name}.${probe.format}`,
            contentType: probe.contentType,
            sizeBytes: bytes.length,
            storagePath,
            durationMs: probe.durationMs,
          });
          await record('create', 'sound', id, null, sound);
          return sound;
        });
      } catch (error) {
        await rm(tempPath, { force: true });
        await rm(finalPath, { force: true });
        throw error;
      }
    },

    /** The sound's bytes, ready to stream; a file missing from storage is a 404. */
    async content(ctx: TenantContext, id: string): Promise<AudioContent> {
      const sound = (await read(ctx).get(id)) ?? notFound(id);
      const content = await openStoredAudio(deps.dataDir, sound.storagePath, `sound ${id}`);
      return { ...content, contentType: sound.contentType };
    },

    async update(ctx: TenantContext, id: string, input: SoundUpdate): Promise<SoundFileRecord> {
      const patch = soundUpdateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = soundFileRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        const after = (await repo.update(id, patch)) ?? notFound(id);
        await record('update', 'sound', id, before, after);
        return after;
      });
    },

    /**
     * The row goes first: a crash between the two steps leaves an unreferenced file
     * (wasted space), never a row whose file is gone.
     */
    async delete(ctx: TenantContext, id: string): Promise<void> {
      const removed = await remove(ctx, id);
      await removeStoredFile(deps.dataDir, removed.storagePath);
    },
  };
}

export type SoundService = ReturnType<typeof soundService>;

const notFound = (id: string): never => notFoundError('sound', id);
