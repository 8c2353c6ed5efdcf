import type { ServiceDeps } from '../services/service-context.ts';
import { authService } from '../services/auth.ts';
import { extensionService } from '../services/extensions.ts';
import { tenantService } from '../services/tenants.ts';
import { userService } from '../services/users.ts';
import { auditService } from '../services/audit.ts';

export interface ServiceOptions {
  sessionTtlHours: number;
}

/** Every service of the process, built once; the HTTP API and the CLI both call these. */
export function createServices(deps: ServiceDeps, options: ServiceOptions) {
  const tenants = tenantService(deps);
  const users = userService(deps);
  return {
    deps,
    tenants,
    users,
    auth: authService(deps, tenants, users, options),
    extensions: extensionService(deps),
    audit: auditService(deps),
  };
}

export type Services = ReturnType<typeof createServices>;
