import type { Registration, SipAuthBlock, TrunkRegistration } from '@provod/contracts';
import { LocationService, type TrunkRegistrationState } from '@provod/pbx';
import { AuthFailureGuard, type AuthBlock } from '@provod/sip';
import type { ServiceDeps, TenantContext } from './service-context.ts';

/**
 * The SIP state that lives in the process and that the API shows: the location service
 * (registrations) and the authentication failure guard (blocked sources). Built once with
 * the services, so the SIP server and the HTTP API read the same objects.
 */
export function registrationService(deps: ServiceDeps, onBlock?: (block: AuthBlock) => void) {
  const location = new LocationService();
  const guard = new AuthFailureGuard({ clock: deps.clock, onBlock });
  /** Trunks' registrations with their providers, by trunk id, as the SIP edge reports them. */
  const trunks = new Map<
    string,
    { tenantId: string; name: string; state: TrunkRegistrationState }
  >();

  return {
    location,
    guard,
    trunks,

    /** The tenant's registering trunks and where each stands with its provider. */
    trunkRegistrations(ctx: TenantContext): TrunkRegistration[] {
      return [...trunks.entries()]
        .filter(([, entry]) => entry.tenantId === ctx.tenantId)
        .map(([trunkId, { name, state }]) => ({
          trunkId,
          name,
          state: state.kind,
          expiresAt: state.kind === 'registered' ? state.expiresAt.toISOString() : null,
          status: state.kind === 'failed' ? state.status : null,
          reason: state.kind === 'failed' ? state.reason : null,
          retryAt: state.kind === 'failed' ? state.retryAt.toISOString() : null,
        }));
    },

    list(ctx: TenantContext): Registration[] {
      return location.listTenant(ctx.tenantId, deps.clock().getTime()).map((r) => ({
        extension: r.user,
        contact: r.contact,
        transport: r.source.transport,
        sourceAddress: r.source.address,
        sourcePort: r.source.port,
        userAgent: r.userAgent,
        registeredAt: new Date(r.registeredAt).toISOString(),
        expiresAt: new Date(r.expiresAt).toISOString(),
      }));
    },

    /** Operator view: every current block, across tenants. */
    blocks(): SipAuthBlock[] {
      return guard.blocked().map((block) => ({
        kind: block.kind,
        key: block.key,
        failures: block.failures,
        blockedAt: block.blockedAt.toISOString(),
        blockedUntil: block.blockedUntil.toISOString(),
      }));
    },
  };
}

export type RegistrationService = ReturnType<typeof registrationService>;
