import type { AuditQuery } from '@provod/contracts';
import { auditReader } from '@provod/db';
import { tenantScope, type ServiceDeps, type TenantContext } from './service-context.ts';

export function auditService(deps: ServiceDeps) {
  return {
    list: (ctx: TenantContext, query: AuditQuery) =>
      auditReader(tenantScope(deps, ctx)).list(query),
  };
}
