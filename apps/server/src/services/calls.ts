import {
  ProvodError,
  type CallQuery,
  type CallRecordInput,
  type CallWithLegs,
} from '@provod/contracts';
import { callRepository, TenantScope } from '@provod/db';
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

    /** The PBX's record of a call, written for the tenant the call belongs to. */
    record: (tenantId: string, input: CallRecordInput) =>
      callRepository(new TenantScope(deps.database.db, tenantId), deps.clock).recordCall(input),
  };
}

export type CallService = ReturnType<typeof callService>;
