import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { extensionRepository, newId, TenantScope, voicemailRepository } from '@provod/db';
import type { VoicemailBoxes } from '@provod/pbx';
import { storedFilePath } from '../services/stored-audio.ts';
import type { ServiceDeps } from '../services/service-context.ts';

/**
 * The mailboxes routed calls leave messages in: an extension with voicemail on has one.
 * A message's WAV lands under `<dataDir>/voicemail/<tenantId>/<id>.wav` (written to a
 * temporary name, then renamed) before its row is created, so the API never lists a
 * message without its file; a failed insert removes the file again.
 */
export function voicemailBoxes(deps: ServiceDeps): VoicemailBoxes {
  return {
    async open(tenantId, mailbox) {
      const scope = new TenantScope(deps.database.db, tenantId);
      const extension = await extensionRepository(scope, deps.clock).findByNumber(mailbox);
      if (extension === undefined || !extension.voicemailEnabled) return undefined;
      return {
        async save(message) {
          const id = newId(deps.clock().getTime());
          const storagePath = posix.join('voicemail', tenantId, `${id}.wav`);
          const path = storedFilePath(deps.dataDir, storagePath);
          const partial = `${path}.partial`;
          await mkdir(dirname(path), { recursive: true });
          try {
            await writeFile(partial, message.wav, { flag: 'wx' });
            await rename(partial, path);
            await voicemailRepository(scope, deps.clock).create({
              extensionId: extension.id,
              callId: null,
              caller: message.caller,
              storagePath,
              durationSeconds: Math.round(message.durationMs / 1000),
            });
          } catch (error) {
            await rm(partial, { force: true });
            await rm(path, { force: true });
            throw error;
          }
        },
      };
    },
  };
}
