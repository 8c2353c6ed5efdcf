import { z } from 'zod';
import {
  activeCallSchema,
  callQuerySchema,
  callSchema,
  callWithLegsSchema,
  idParams,
  pageOf,
} from '@provod/contracts';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['calls'];

export function callRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/calls',
    {
      config: { permission: 'calls:read' },
      schema: {
        tags,
        summary: 'The call log, newest first; every filter combines with the others',
        querystring: callQuerySchema,
        response: { 200: pageOf(callSchema) },
      },
    },
    async (request) => services.calls.list(tenantContext(request), request.query),
  );
  app.get(
    '/calls/active',
    {
      config: { permission: 'calls:read' },
      schema: {
        tags,
        summary: 'Calls in progress now, oldest first (the live feed is /api/v1/events)',
        response: { 200: z.array(activeCallSchema) },
      },
    },
    async (request) => services.callEvents.active(tenantContext(request).tenantId),
  );
  app.get(
    '/calls/:id',
    {
      config: { permission: 'calls:read' },
      schema: {
        tags,
        summary: 'One call with its legs and the ids of its recordings',
        params: idParams,
        response: { 200: callWithLegsSchema },
      },
    },
    async (request) => services.calls.get(tenantContext(request), request.params.id),
  );
}
