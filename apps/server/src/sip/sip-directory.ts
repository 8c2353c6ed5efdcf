import type { CallDirectory, RegistrarDirectory } from '@provod/pbx';
import { extensionRepository, tenantRepository, TenantScope } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';

/**
 * What the registrar and call control need to know of tenants and extensions, read from the database on
 * each REGISTER (an indexed look-up each; a cache can come when the benchmark asks).
 * Only active tenants serve their domain: a suspended tenant's phones cannot register.
 */
export function sipDirectory(deps: ServiceDeps): RegistrarDirectory & CallDirectory {
  return {
    async tenantByDomain(domain) {
      const tenant = await tenantRepository(deps.database.db, deps.clock).findBySipDomain(domain);
      return tenant && tenant.status === 'active' ? { tenantId: tenant.id } : undefined;
    },
    async sipPassword(tenantId, user) {
      const scope = new TenantScope(deps.database.db, tenantId);
      return (await extensionRepository(scope, deps.clock).findByNumber(user))?.sipPassword;
    },
    async extensionExists(tenantId, number) {
      const scope = new TenantScope(deps.database.db, tenantId);
      return (await extensionRepository(scope, deps.clock).findByNumber(number)) !== undefined;
    },
  };
}
