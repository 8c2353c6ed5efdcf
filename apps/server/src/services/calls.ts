import { ProvodError, type CallQuery, type CallWithLegs } from '@provod/contracts';
import { callRepository } from '@provod/db';
import { tenantScope, type ServiceDeps, type TenantContext } from './service-context.ts';

/** The call log: read-only here, since calls are written by the PBX. */
export function callService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => callRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext, query: CallQuery) => read(ctx).list(query),

    async get(ctx: TenantContext, id: string): Promise<CallWithLegs> {
      const call = await read(ctx).get(id);
      if (!call) throw new ProvodError('not_found', `call ${id} not found`);
      return call;
    },
  };
}

export type CallService = ReturnType<typeof callService>;
