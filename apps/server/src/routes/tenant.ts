import { tenantSchema, tenantSettingsUpdateSchema } from '@provod/contracts';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['tenant'];

/** The caller's own company: its settings (time zone, language, retention) and balance. */
export function tenantRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/tenant',
    { config: { permission: 'tenant:read' }, schema: { tags, response: { 200: tenantSchema } } },
    async (request) => services.tenants.get(tenantContext(request).tenantId),
  );

  app.patch(
    '/tenant',
    {
      config: { permission: 'tenant:write' },
      schema: { tags, body: tenantSettingsUpdateSchema, response: { 200: tenantSchema } },
    },
    async (request) => services.tenants.updateSettings(tenantContext(request), request.body),
  );
}
