import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { apiKeyRoutes } from './api-keys.ts';
import { auditRoutes } from './audit.ts';
import { authRoutes } from './auth.ts';
import { extensionRoutes } from './extensions.ts';
import { staffTenantRoutes } from './staff-tenants.ts';
import { tenantRoutes } from './tenant.ts';
import { userRoutes } from './users.ts';

/** Every /api/v1 resource, one file each, registered here and nowhere else. */
export function registerRoutes(app: ProvodApp, services: Services): void {
  authRoutes(app, services);
  tenantRoutes(app, services);
  userRoutes(app, services);
  apiKeyRoutes(app, services);
  extensionRoutes(app, services);
  auditRoutes(app, services);
  staffTenantRoutes(app, services);
}
