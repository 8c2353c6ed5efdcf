import {
  ProvodError,
  type CallQuery,
  type CallRecordInput,
  type CallWithLegs,
  type RecordingInput,
} from '@provod/contracts';
import { callRepository, recordingRepository, tenantRepository, TenantScope } from '@provod/db';
import type { CrmService } from './crm.ts';
import { tenantScope, type ServiceDeps, type TenantContext } from './service-context.ts';

/** The call log: read through the API, written by the SIP server when a call ends. */
export function callService(deps: ServiceDeps, crm: Pick<CrmService, 'enqueueForCall'>) {
  const read = (ctx: TenantContext) => callRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext, query: CallQuery) => read(ctx).list(query),

    async get(ctx: TenantContext, id: string): Promise<CallWithLegs> {
      const call = await read(ctx).get(id);
      if (!call) throw new ProvodError('not_found', `call ${id} not found`);
      return call;
    },

    /**
     * The PBX's record of a call, written for the tenant the call belongs to, with the
     * call's recording when it has one (kept for the tenant's retention period). A
     * finished call is queued for the tenant's CRMs in the same transaction: it reaches
     * them even if the process dies right after.
     */
    async record(
      tenantId: string,
      input: CallRecordInput,
      recording?: Omit<RecordingInput, 'callId'>,
    ): Promise<CallWithLegs> {
      const tenant =
        recording === undefined
          ? undefined
          : await tenantRepository(deps.database.db, deps.clock).get(tenantId);
      return deps.database.db.transaction().execute(async (trx) => {
        const scope = new TenantScope(trx, tenantId);
        const calls = callRepository(scope, deps.clock);
        const call = await calls.recordCall(input);
        if (recording !== undefined)
          await recordingRepository(scope, deps.clock).create(
            { ...recording, callId: call.id },
            tenant?.recordingRetentionDays ?? 90,
          );
        if (call.status !== 'in_progress') await crm.enqueueForCall(trx, tenantId, call.id);
        return recording === undefined ? call : ((await calls.get(call.id)) ?? call);
      });
    },
  };
}

export type CallService = ReturnType<typeof callService>;
