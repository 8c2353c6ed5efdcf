import { softphoneCredentialsSchema } from '@provod/contracts';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

/** The caller's own softphone account; nobody reads another person's through this route. */
export function softphoneRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/me/softphone',
    {
      config: { permission: 'softphone:use' },
      schema: {
        tags: ['sip'],
        summary:
          'SIP credentials of the extension whose owner (userId) is the caller, for the browser softphone; 404 when none',
        response: { 200: softphoneCredentialsSchema },
      },
    },
    async (request) => services.softphone.credentials(tenantContext(request)),
  );
}
