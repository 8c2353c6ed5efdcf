import {
  extensionRepository,
  findPhoneNumberOwner,
  routingSchemeRepository,
  tenantRepository,
  TenantScope,
} from '@provod/db';
import type { LocationService, SchemeDirectory, SchemeLookup } from '@provod/pbx';
import type { ServiceDeps } from '../services/service-context.ts';
import { trunkSources, type HostResolver } from './trunk-sources.ts';

/**
 * A dialled number as E.164 with '+', or undefined for what cannot be one. Separators a
 * carrier or a person may write are dropped; a Russian national number (8 and ten
 * digits) becomes +7 — the trunk's format for domestic calls. 7 to 15 digits (ITU-T
 * E.164 allows up to 15) after the country code.
 */
export function normaliseDialled(dialled: string): string | undefined {
  const compact = dialled.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{7,15}$/.test(compact)) return undefined;
  const digits = compact.replace(/^\+/, '');
  if (!compact.startsWith('+') && digits.length === 11 && digits.startsWith('8')) {
    return `+7${digits.slice(1)}`;
  }
  return `+${digits}`;
}

/**
 * What routed calls read from the database: whose a number is and its scheme's current
 * graph; a tenant's trunks (trunk-sources.ts); a tenant's extensions with who is
 * registered now. Only active tenants receive calls.
 */
export function schemeDirectory(
  deps: ServiceDeps,
  location: LocationService,
  resolve?: HostResolver,
): SchemeDirectory {
  const trunkAt = trunkSources(deps, resolve);
  return {
    async schemeFor(dialled, onlyTenantId): Promise<SchemeLookup> {
      const e164 = normaliseDialled(dialled);
      if (e164 === undefined) return { kind: 'unknown_number' };
      const owner = await findPhoneNumberOwner(deps.database.db, e164);
      if (owner === undefined) return { kind: 'unknown_number' };
      if (onlyTenantId !== undefined && owner.tenantId !== onlyTenantId) {
        return { kind: 'unknown_number' };
      }
      const tenant = await tenantRepository(deps.database.db, deps.clock).get(owner.tenantId);
      if (tenant === undefined || tenant.status !== 'active') return { kind: 'unknown_number' };
      const { routingSchemeId, trunkId } = owner.number;
      const scope = new TenantScope(deps.database.db, tenant.id);
      const scheme =
        routingSchemeId === null
          ? undefined
          : await routingSchemeRepository(scope, deps.clock).get(routingSchemeId);
      if (scheme === undefined) return { kind: 'no_scheme', tenantId: tenant.id, trunkId };
      return {
        kind: 'routed',
        route: {
          tenantId: tenant.id,
          domain: tenant.sipDomain,
          timeZone: tenant.timeZone,
          language: tenant.language,
          number: e164,
          schemeId: scheme.id,
          schemeVersion: scheme.currentVersion,
          graph: scheme.graph,
          trunkId,
        },
      };
    },

    trunkAt,

    async tenantDirectory(tenantId) {
      const scope = new TenantScope(deps.database.db, tenantId);
      const extensions = new Map(
        (await extensionRepository(scope, deps.clock).list()).map((extension) => [
          extension.number,
          {
            number: extension.number,
            doNotDisturb: extension.doNotDisturb,
            forwarding: extension.forwarding,
            voicemailEnabled: extension.voicemailEnabled,
          },
        ]),
      );
      return {
        extension: (number) => extensions.get(number),
        isRegistered: (number) =>
          location.lookup({ tenantId, user: number }, deps.clock().getTime()).length > 0,
      };
    },
  };
}
