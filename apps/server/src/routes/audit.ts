import { auditEntrySchema, auditQuerySchema, pageOf } from '@provod/contracts';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

export function auditRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/audit-log',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Who changed what, newest first, with the object before and after',
        querystring: auditQuerySchema,
        response: { 200: pageOf(auditEntrySchema) },
      },
    },
    async (request) => services.audit.list(tenantContext(request), request.query),
  );
}
