import {
  ProvodError,
  type CallQuery,
  type CallRecordInput,
  type CallWithLegs,
  type RecordingInput,
} from '@provod/contracts';
import { callRepository, recordingRepository, tenantRepository, TenantScope } from '@provod/db';
import { tenantScope, type ServiceDeps, type TenantContext } from './service-context.ts';

/** The call log: read through the API, written by the SIP server when a call ends. */
export function callService(deps: ServiceDeps) {
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
     * call's recording when it has one (kept for the tenant's retention period).
     */
    async record(
      tenantId: string,
      input: CallRecordInput,
      recording?: Omit<RecordingInput, 'callId'>,
    ): Promise<CallWithLegs> {
      const scope = new TenantScope(deps.database.db, tenantId);
      const call = await callRepository(scope, deps.clock).recordCall(input);
      if (recording === undefined) return call;
      const tenant = await tenantRepository(deps.database.db, deps.clock).get(tenantId);
      await recordingRepository(scope, deps.clock).create(
        { ...recording, callId: call.id },
        tenant?.recordingRetentionDays ?? 90,
      );
      return (await callRepository(scope, deps.clock).get(call.id)) ?? call;
    },
  };
}

export type CallService = ReturnType<typeof callService>;
