import { registrationSchema, sipAuthBlockSchema } from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

export function registrationRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/registrations',
    {
      config: { permission: 'numberplan:read' },
      schema: {
        tags: ['sip'],
        summary: 'Phones registered now: extension, contact, source address, user agent',
        response: { 200: z.array(registrationSchema) },
      },
    },
    async (request) => services.registrations.list(tenantContext(request)),
  );
  app.get(
    '/staff/sip/auth-blocks',
    {
      config: { permission: 'staff:tenants:read' },
      schema: {
        tags: ['staff'],
        summary: 'Sources and users refused after too many failed SIP authentications',
        response: { 200: z.array(sipAuthBlockSchema) },
      },
    },
    async () => services.registrations.blocks(),
  );
}
