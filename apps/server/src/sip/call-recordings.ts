import { mkdir } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { extensionRepository, newId, TenantScope } from '@provod/db';
import type { CallRecordings } from '@provod/pbx';
import { storedFilePath } from '../services/stored-audio.ts';
import type { ServiceDeps } from '../services/service-context.ts';

/**
 * Which calls are recorded: those with an extension whose recording policy is `always`
 * among their parties. The file goes to `<dataDir>/recordings/<tenantId>/<id>.wav`; the
 * call log row links it when the call ends (services/calls.ts).
 */
export function callRecordings(deps: ServiceDeps): CallRecordings {
  return {
    async target(tenantId, parties) {
      const extensions = extensionRepository(
        new TenantScope(deps.database.db, tenantId),
        deps.clock,
      );
      const policies = await Promise.all(
        parties.map(async (party) => (await extensions.findByNumber(party))?.recording),
      );
      if (!policies.includes('always')) return undefined;
      const storagePath = posix.join(
        'recordings',
        tenantId,
        `${newId(deps.clock().getTime())}.wav`,
      );
      const path = storedFilePath(deps.dataDir, storagePath);
      await mkdir(dirname(path), { recursive: true });
      return { path, storagePath };
    },
  };
}
