import { networkInterfaces } from 'node:os';

/**
 * The host peers can reach this node at, for Via and Contact, when none is configured:
 * the bound address itself, or for a wildcard bind the first non-internal IPv4 address
 * (loopback when the machine has none, as on an offline laptop).
 */
export function advertisedHostFor(boundHost: string): string {
  if (boundHost !== '0.0.0.0' && boundHost !== '::') return boundHost;
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((entry) => entry.family === 'IPv4' && !entry.internal);
    if (external !== undefined) return external.address;
  }
  return '127.0.0.1';
}
