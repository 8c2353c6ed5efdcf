import {
  extensionRepository,
  phoneNumberRepository,
  TenantScope,
  trunkRepository,
  type TrunkRecord,
} from '@provod/db';
import type { OutboundRoute, TrunkRoutes } from '@provod/pbx';
import type { ServiceDeps } from '../services/service-context.ts';

/** Digits of a number or prefix, without the '+' a person may write or leave out. */
const digitsOf = (text: string) => text.replace(/^\+/, '');

/**
 * Which trunks an extension's call to an external number goes out through, as the
 * trunks' dial prefixes say: the trunks whose prefixes match the number (a trunk without
 * prefixes takes any number), the longest match first, then by priority — the order of
 * failover. Only numbers of 3 to 15 digits (E.164's limit; short ones for services such
 * as 112) go out. The caller ID is the extension's own, else the tenant's first number,
 * else the extension number.
 */
export function trunkRoutes(deps: ServiceDeps): TrunkRoutes {
  return {
    async outbound(tenantId, extension, number): Promise<OutboundRoute | undefined> {
      if (!/^\+?\d{3,15}$/.test(number)) return undefined;
      const scope = new TenantScope(deps.database.db, tenantId);
      const dialled = digitsOf(number);
      const candidates = (await trunkRepository(scope, deps.clock).list())
        .filter((trunk) => trunk.enabled)
        .map((trunk) => ({ trunk, match: matchLength(trunk, dialled) }))
        .filter((candidate) => candidate.match >= 0)
        .sort((a, b) => b.match - a.match || a.trunk.priority - b.trunk.priority);
      if (candidates.length === 0) return undefined;
      const own = await extensionRepository(scope, deps.clock).findByNumber(extension);
      const firstNumber = (await phoneNumberRepository(scope, deps.clock).list())[0]?.e164;
      return {
        callerId: own?.callerId ?? firstNumber ?? extension,
        trunks: candidates.map(({ trunk }) => ({
          name: trunk.name,
          destination: { transport: trunk.transport, address: trunk.host, port: trunk.port },
          domain: trunk.fromDomain ?? trunk.host,
          account:
            trunk.username !== null && trunk.password !== null
              ? { username: trunk.authUsername ?? trunk.username, password: trunk.password }
              : undefined,
        })),
      };
    },
  };
}

/** The longest of the trunk's prefixes the number starts with; 0 without prefixes; −1: none. */
function matchLength(trunk: TrunkRecord, dialled: string): number {
  if (trunk.dialPrefixes.length === 0) return 0;
  const matching = trunk.dialPrefixes.map(digitsOf).filter((prefix) => dialled.startsWith(prefix));
  return matching.length === 0 ? -1 : Math.max(...matching.map((prefix) => prefix.length));
}
