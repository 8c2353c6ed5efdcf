import type { RecordingQuery } from '@provod/contracts';
import { recordingRepository, type RecordingRecord } from '@provod/db';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';
import { openStoredAudio, removeStoredFile, type AudioContent } from './stored-audio.ts';

export function recordingService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => recordingRepository(tenantScope(deps, ctx), deps.clock);

  async function get(ctx: TenantContext, id: string): Promise<RecordingRecord> {
    return (await read(ctx).get(id)) ?? notFound(id);
  }

  return {
    list: (ctx: TenantContext, query: RecordingQuery) => read(ctx).list(query),

    get,

    async content(ctx: TenantContext, id: string): Promise<AudioContent> {
      const recording = await get(ctx, id);
      return openStoredAudio(deps.dataDir, recording.storagePath, `recording ${id}`);
    },

    /**
     * The file goes last inside the transaction: if it cannot be deleted the row stays
     * and the client may retry; if the commit fails after it, the row points to a file
     * already gone, which a retried delete tolerates.
     */
    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = recordingRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        await repo.delete(id);
        await record('delete', 'recording', id, before, null);
        await removeStoredFile(deps.dataDir, before.storagePath);
      });
    },
  };
}

export type RecordingService = ReturnType<typeof recordingService>;

const notFound = (id: string): never => notFoundError('recording', id);
