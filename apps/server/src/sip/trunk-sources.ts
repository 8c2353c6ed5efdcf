import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { TenantScope, trunkRepository } from '@provod/db';
import type { ServiceDeps } from '../services/service-context.ts';

/** Resolves a host name to its addresses (node:dns by default; tests pass a table). */
export type HostResolver = (host: string) => Promise<readonly string[]>;

const systemResolver: HostResolver = async (host) =>
  (await lookup(host, { all: true })).map((entry) => entry.address);

/** How long a trunk host's addresses are trusted before they are looked up again. */
const resolvedTtlMs = 60_000;

/**
 * Which of a tenant's trunks a request came from, by the source address: carriers
 * authenticate by IP, so a request from a trunk's host is the carrier's. A trunk's host
 * may be a name (sip.carrier.example): it is resolved, and the answer kept a minute.
 * Disabled trunks deliver nothing; with `only`, just that trunk counts (a number tied to
 * its trunk). An IPv4 address seen as IPv4-mapped IPv6 (::ffff:192.0.2.1) matches too.
 */
export function trunkSources(deps: ServiceDeps, resolve: HostResolver = systemResolver) {
  const resolved = new Map<string, { addresses: readonly string[]; until: number }>();

  async function addressesOf(host: string): Promise<readonly string[]> {
    if (isIP(host) !== 0) return [normalise(host)];
    const now = Date.now();
    const cached = resolved.get(host);
    if (cached !== undefined && cached.until > now) return cached.addresses;
    let addresses: readonly string[];
    try {
      addresses = (await resolve(host)).map(normalise);
    } catch {
      // A name that does not resolve now matches nobody; it is asked again next time.
      addresses = [];
    }
    resolved.set(host, { addresses, until: now + resolvedTtlMs });
    return addresses;
  }

  return async function trunkAt(
    tenantId: string,
    address: string,
    only: string | null = null,
  ): Promise<{ readonly name: string } | undefined> {
    const source = normalise(address);
    const trunks = await trunkRepository(
      new TenantScope(deps.database.db, tenantId),
      deps.clock,
    ).list();
    for (const trunk of trunks) {
      if (!trunk.enabled || (only !== null && trunk.id !== only)) continue;
      if ((await addressesOf(trunk.host)).includes(source)) return { name: trunk.name };
    }
    return undefined;
  };
}

function normalise(address: string): string {
  const lower = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
}
