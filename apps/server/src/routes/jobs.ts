import { idParams, jobQuerySchema, jobSchema, pageOf } from '@provod/contracts';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['jobs'];

export function jobRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/jobs',
    {
      config: { permission: 'jobs:read' },
      schema: {
        tags,
        summary: "The tenant's background jobs, newest first; dead ones say why in lastError",
        querystring: jobQuerySchema,
        response: { 200: pageOf(jobSchema) },
      },
    },
    async (request) => services.jobs.list(tenantContext(request), request.query),
  );
  app.get(
    '/jobs/:id',
    {
      config: { permission: 'jobs:read' },
      schema: { tags, params: idParams, response: { 200: jobSchema } },
    },
    async (request) => services.jobs.get(tenantContext(request), request.params.id),
  );
  app.post(
    '/jobs/:id/retry',
    {
      config: { permission: 'jobs:write' },
      schema: {
        tags,
        summary: 'Queue a dead job again with fresh attempts (409 unless it is dead)',
        params: idParams,
        response: { 200: jobSchema },
      },
    },
    async (request) => services.jobs.retry(tenantContext(request), request.params.id),
  );
}
