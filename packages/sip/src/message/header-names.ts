/**
 * Header names: compact forms and which headers are comma-separated lists.
 *
 * RFC 3261 §7.3.3 defines the first ten compact forms; later RFCs added the rest.
 * Names compare case-insensitively (§7.3.1), so every lookup goes through
 * `headerKey`, which lower-cases and expands compact forms.
 */
export const compactHeaderForms = {
  i: 'call-id', // RFC 3261 §20.8
  m: 'contact', // RFC 3261 §20.10
  e: 'content-encoding', // RFC 3261 §20.12
  l: 'content-length', // RFC 3261 §20.14
  c: 'content-type', // RFC 3261 §20.15
  f: 'from', // RFC 3261 §20.20
  s: 'subject', // RFC 3261 §20.36
  k: 'supported', // RFC 3261 §20.37
  t: 'to', // RFC 3261 §20.39
  v: 'via', // RFC 3261 §20.42
  o: 'event', // RFC 6665 §8.2.1
  u: 'allow-events', // RFC 6665 §8.2.2
  r: 'refer-to', // RFC 3515 §2.1
  b: 'referred-by', // RFC 3892 §3
  x: 'session-expires', // RFC 4028 §4
  y: 'identity', // RFC 8224 §4
  n: 'identity-info', // RFC 4474 §9.2 (obsoleted by RFC 8224, still seen)
  a: 'accept-contact', // RFC 3841 §9.2
  j: 'reject-contact', // RFC 3841 §9.2
  d: 'request-disposition', // RFC 3841 §9.1
} as const satisfies Record<string, string>;

/** The lower-cased full name a header is stored and compared under. */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 && lower in compactHeaderForms
    ? compactHeaderForms[lower as keyof typeof compactHeaderForms]
    : lower;
}

/**
 * Headers whose grammar is `x *(COMMA x)` (RFC 3261 §7.3.1): several values may share one
 * line. Only these are split on commas; every other header — the authentication ones,
 * Date, Subject, unknown extensions — may carry a comma inside its single value.
 */
const listHeaders: ReadonlySet<string> = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'path', // RFC 3327
  'service-route', // RFC 3608
  'allow',
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'accept',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'call-info',
  'error-info',
  'content-encoding',
  'content-language',
  'in-reply-to',
  'warning',
  'allow-events', // RFC 6665
  'p-asserted-identity', // RFC 3325
  'p-preferred-identity', // RFC 3325
  'reason', // RFC 3326
  'history-info', // RFC 7044
  'security-client', // RFC 3329
  'security-server',
  'security-verify',
  'accept-contact', // RFC 3841
  'reject-contact',
  'request-disposition',
  'accept-resource-priority', // RFC 4412
  'resource-priority',
]);

export function isListHeader(name: string): boolean {
  return listHeaders.has(headerKey(name));
}
