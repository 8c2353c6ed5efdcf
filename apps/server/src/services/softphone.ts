import { ProvodError, type SoftphoneCredentials } from '@provod/contracts';
import { extensionRepository } from '@provod/db';
import type { TenantService } from './tenants.ts';
import { tenantScope, type ServiceDeps, type TenantContext } from './service-context.ts';

export interface SoftphoneOptions {
  /** Where SIP over WebSocket listens on the HTTP server (config `sip.webSocketPath`). */
  webSocketPath: string;
}

/**
 * The cabinet's softphone: the SIP account of the extension that belongs to the calling
 * person (extension.userId). It only ever answers about the caller's own extension, so
 * every tenant role may ask; other extensions' passwords stay behind numberplan:secrets.
 */
export function softphoneService(
  deps: ServiceDeps,
  tenants: TenantService,
  options: SoftphoneOptions,
) {
  return {
    async credentials(ctx: TenantContext): Promise<SoftphoneCredentials> {
      if (ctx.actor.type !== 'user' || ctx.actor.id === null) {
        throw new ProvodError('not_found', 'only a person owns an extension; log in as a user');
      }
      const userId = ctx.actor.id;
      // Ordered by number: a person with several extensions gets the lowest.
      const extensions = await extensionRepository(tenantScope(deps, ctx), deps.clock).list();
      const own = extensions.find((extension) => extension.userId === userId);
      if (own === undefined) {
        throw new ProvodError(
          'not_found',
          'no extension belongs to you: ask an administrator to set you as the owner of one',
        );
      }
      const tenant = await tenants.get(ctx.tenantId);
      return {
        extension: own.number,
        displayName: own.displayName,
        sipDomain: tenant.sipDomain,
        sipPassword: own.sipPassword,
        webSocketPath: options.webSocketPath,
      };
    },
  };
}

export type SoftphoneService = ReturnType<typeof softphoneService>;
