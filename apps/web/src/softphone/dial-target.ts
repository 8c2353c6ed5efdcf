/** The keys of a dial pad; the same set RFC 4733 §3.2 carries as DTMF events 0–15. */
export const dialPadKeys = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
export type DialPadKey = (typeof dialPadKeys)[number];

export function isDialPadKey(key: string): key is DialPadKey {
  return (dialPadKeys as readonly string[]).includes(key);
}

/**
 * What the person typed, as the user part of a SIP URI in the tenant's domain, or null
 * when it is no number. Spaces, dashes, dots and brackets people type in phone numbers
 * are dropped; what stays must be digits, `*` and `#` (feature codes), with an optional
 * leading `+` (E.164).
 */
export function dialTarget(typed: string): string | null {
  const number = typed.replace(/[\s\-().]/g, '');
  return /^\+?[0-9*#]{1,32}$/.test(number) ? number : null;
}

/** RFC 3261 §19.1.1: the request URI for a number dialled in the tenant's SIP domain. */
export function sipUriFor(number: string, sipDomain: string): string {
  // `#` is not allowed bare in a SIP URI's user part (RFC 3261 §25.1, `user-unreserved`).
  return `sip:${number.replace(/#/g, '%23')}@${sipDomain}`;
}

/** RFC 7118 §5: SIP over WebSocket on the page's own origin, secure when the page is. */
export function webSocketUrlFor(page: Pick<Location, 'protocol' | 'host'>, path: string): string {
  return `${page.protocol === 'https:' ? 'wss' : 'ws'}://${page.host}${path}`;
}
