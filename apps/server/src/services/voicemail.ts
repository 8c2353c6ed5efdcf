import type { VoicemailQuery, VoicemailUpdate } from '@provod/contracts';
import { voicemailRepository, type VoicemailRecord } from '@provod/db';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';
import { openStoredAudio, removeStoredFile, type AudioContent } from './stored-audio.ts';

export function voicemailService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => voicemailRepository(tenantScope(deps, ctx), deps.clock);

  async function get(ctx: TenantContext, id: string): Promise<VoicemailRecord> {
    return (await read(ctx).get(id)) ?? notFound(id);
  }

  return {
    list: (ctx: TenantContext, query: VoicemailQuery) => read(ctx).list(query),

    get,

    async content(ctx: TenantContext, id: string): Promise<AudioContent> {
      const message = await get(ctx, id);
      return openStoredAudio(deps.dataDir, message.storagePath, `voicemail message ${id}`);
    },

    async update(ctx: TenantContext, id: string, patch: VoicemailUpdate): Promise<VoicemailRecord> {
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = voicemailRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        const after = (await repo.markHeard(id, patch.heard)) ?? notFound(id);
        await record('update', 'voicemail_message', id, before, after);
        return after;
      });
    },

    /** As with recordings, the file goes last inside the transaction, so a failure can be retried. */
    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = voicemailRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        await repo.delete(id);
        await record('delete', 'voicemail_message', id, before, null);
        await removeStoredFile(deps.dataDir, before.storagePath);
      });
    },
  };
}

export type VoicemailService = ReturnType<typeof voicemailService>;

const notFound = (id: string): never => notFoundError('voicemail message', id);
