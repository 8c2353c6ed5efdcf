import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key under which failures from one network source are counted. The port is not part
 * of it (a NAT picks a new one per binding). An IPv4-mapped IPv6 address is its IPv4
 * address; any other IPv6 address counts as its /64, because one host usually holds a
 * whole /64 and could otherwise try a password from each of 2^64 addresses.
 */
export function sourceKeyOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined && isIPv4(mapped[1])) return mapped[1];
  // Strip a zone id ("fe80::1%eth0") before the check; it names our interface, not the peer.
  const bare = address.replace(/%.*$/, '');
  if (!isIPv6(bare)) return address;
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted quad ("::ffff:1.2.3.4", "64:ff9b::1.2.3.4") is two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad !== null) {
    const octets = quad.slice(1).map(Number);
    const word = (high = 0, low = 0): string => ((high << 8) | low).toString(16);
    text = `${text.slice(0, quad.index)}${word(octets[0], octets[1])}:${word(octets[2], octets[3])}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros =
    tail === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) =>
    Number.parseInt(group, 16).toString(16),
  );
}
