import { mkdir, open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import type { Readable } from 'node:stream';
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
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

export interface SoundContent {
  sound: SoundFileRecord;
  /** Bytes on disk now (the Content-Length to send), which the row should agree with. */
  sizeBytes: number;
  stream: Readable;
}

/**
 * Sound files: the row in `sound_files`, the bytes under
 * `<dataDir>/sounds/<tenantId>/<soundId>.<wav|mp3>`. The bytes are written to a temporary
 * file beside their final name first and renamed only after the row is committed, so no
 * reader ever sees a row without its file or a half-written file under a final name.
 */
export function soundService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => soundFileRepository(tenantScope(deps, ctx), deps.clock);
  const absolute = (storagePath: string) => join(deps.dataDir, ...storagePath.split('/'));

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
      const finalPath = absolute(storagePath);
      const tempPath = join(dirname(finalPath), `.${id}.${probe.format}.partial`);
      await mkdir(dirname(finalPath), { recursive: true });

      let created: SoundFileRecord;
      try {
        await writeFile(tempPath, bytes, { flag: 'wx' });
        created = await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
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
        throw error;
      }
      try {
        await rename(tempPath, finalPath);
      } catch (error) {
        // The row is committed but its bytes could not take their name: undo the row.
        await remove(ctx, id);
        await rm(tempPath, { force: true });
        throw error;
      }
      return created;
    },

    /** The sound and a stream of its bytes; the stream closes the file when it ends. */
    async content(ctx: TenantContext, id: string): Promise<SoundContent> {
      const sound = (await read(ctx).get(id)) ?? notFound(id);
      let handle: FileHandle;
      try {
        handle = await open(absolute(sound.storagePath), 'r');
      } catch (error) {
        if (isMissingFile(error)) {
          throw new ProvodError('not_found', `the file of sound ${id} is missing from storage`);
        }
        throw error;
      }
      const { size } = await handle.stat().catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
      return { sound, sizeBytes: size, stream: handle.createReadStream() };
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
      await rm(absolute(removed.storagePath), { force: true });
    },
  };
}

export type SoundService = ReturnType<typeof soundService>;

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function notFound(id: string): never {
  throw new ProvodError('not_found', `sound ${id} not found`);
}
