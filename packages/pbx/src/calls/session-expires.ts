import { createResponse, type SipRequest, type SipResponse } from '@provod/sip';

/**
 * RFC 4028 (SIP session timers) as header arithmetic, seen from one leg of a call: who
 * refreshes the session (Provod or the phone) and how long it lives without a refresh.
 * `refresher=uac|uas` names a role in the transaction carrying the header (§4), so the same
 * leg reads `uac` as "the phone" in a phone's request and as "Provod" in Provod's own.
 */
export type Refresher = 'provod' | 'phone';

export interface SessionTerms {
  readonly seconds: number;
  readonly refresher: Refresher;
}

/** RFC 4028 §4: the Min-SE default and the smallest interval Provod accepts. */
export const MIN_SESSION_EXPIRES_SECONDS = 90;

type Header = [string, string];

export type RequestedTerms =
  | { readonly kind: 'agreed'; readonly terms: SessionTerms | undefined; readonly timer: boolean }
  | { readonly kind: 'too_small'; readonly response: SipResponse }
  | { readonly kind: 'malformed'; readonly response: SipResponse };

/**
 * The terms Provod, as UAS, grants a phone's INVITE or UPDATE (RFC 4028 §9). `current` is
 * the leg's running terms for a refresh, or for an initial INVITE Provod's configured
 * interval (undefined: session timers are off). Without Session-Expires a phone that
 * supports `timer` keeps `current` (§9 lets the UAS insert one); one that does not gets no
 * timer on a new call, and Provod as refresher on an established one.
 */
export function termsRequested(
  request: SipRequest,
  current: SessionTerms | undefined,
  initial: boolean,
): RequestedTerms {
  const timer = supportsTimer(request);
  if (current === undefined) return { kind: 'agreed', terms: undefined, timer };
  const header = request.headers.get('session-expires');
  if (header === undefined) {
    if (timer) return { kind: 'agreed', terms: current, timer };
    return {
      kind: 'agreed',
      terms: initial ? undefined : { seconds: current.seconds, refresher: 'provod' },
      timer,
    };
  }
  const requested = parseSessionExpires(header);
  const minSe = parseDeltaSeconds(request.headers.get('min-se') ?? '');
  if (requested === undefined || minSe === null) {
    return {
      kind: 'malformed',
      response: createResponse(request, 400, { reason: 'Bad Request (Session-Expires)' }),
    };
  }
  const floor = Math.max(MIN_SESSION_EXPIRES_SECONDS, minSe ?? 0);
  if (requested.seconds < floor && timer) {
    // §8.1/§9: 422 with our minimum, so the phone retries with a longer interval.
    const response = createResponse(request, 422, {
      reason: 'Session Interval Too Small',
      headers: [['Min-SE', String(floor)]],
    });
    return { kind: 'too_small', response };
  }
  // A phone without `timer` cannot refresh, nor retry after a 422: the interval is raised
  // to our minimum (§8.1, errata 1687) and Provod refreshes.
  const refresher: Refresher = timer && requested.refresher === 'uac' ? 'phone' : 'provod';
  return {
    kind: 'agreed',
    terms: { seconds: Math.max(requested.seconds, floor), refresher },
    timer,
  };
}

/**
 * The terms a phone's 2xx to Provod's INVITE or UPDATE set (RFC 4028 §7.2): none when it
 * carries no Session-Expires — the session then has no expiration.
 */
export function termsAnswered(response: SipResponse): SessionTerms | undefined {
  const header = response.headers.get('session-expires');
  const answered = header === undefined ? undefined : parseSessionExpires(header);
  if (answered === undefined) return undefined;
  const refresher: Refresher = answered.refresher === 'uas' ? 'phone' : 'provod';
  return { seconds: Math.max(answered.seconds, MIN_SESSION_EXPIRES_SECONDS), refresher };
}

/** The headers of Provod's own INVITE or UPDATE on a leg with these terms. */
export function sessionRequestHeaders(terms: SessionTerms | undefined): Header[] {
  if (terms === undefined) return [];
  const refresher = terms.refresher === 'provod' ? 'uac' : 'uas';
  return [
    ['Supported', 'timer'],
    ['Session-Expires', `${terms.seconds};refresher=${refresher}`],
  ];
}

/** The headers of Provod's 2xx to a phone's INVITE or UPDATE (§9: Require only if supported). */
export function sessionResponseHeaders(
  terms: SessionTerms | undefined,
  phoneSupportsTimer: boolean,
): Header[] {
  if (terms === undefined) return [];
  const refresher = terms.refresher === 'provod' ? 'uas' : 'uac';
  return [
    ['Supported', 'timer'],
    ...(phoneSupportsTimer ? [['Require', 'timer'] as Header] : []),
    ['Session-Expires', `${terms.seconds};refresher=${refresher}`],
  ];
}

export function supportsTimer(message: SipRequest | SipResponse): boolean {
  return optionTags(message, 'supported').includes('timer');
}

/** Whether the phone listed the method in its Allow header (RFC 3261 §20.5). */
export function allowsMethod(message: SipRequest | SipResponse, method: string): boolean {
  return optionTags(message, 'allow').includes(method.toLowerCase());
}

function optionTags(message: SipRequest | SipResponse, name: string): string[] {
  return message.headers
    .getLines(name)
    .flatMap((line) => line.split(','))
    .map((tag) => tag.trim().toLowerCase());
}

/**
 * RFC 4028 §4:
 *   Session-Expires = ("Session-Expires" / "x") HCOLON delta-seconds
 *                     *(SEMI se-params)
 *   se-params       = refresher-param / generic-param
 *   refresher-param = "refresher" EQUAL ("uas" / "uac")
 */
export function parseSessionExpires(
  value: string,
): { seconds: number; refresher: 'uac' | 'uas' | undefined } | undefined {
  const [delta = '', ...params] = value.split(';');
  const seconds = parseDeltaSeconds(delta);
  if (seconds === undefined || seconds === null) return undefined;
  let refresher: 'uac' | 'uas' | undefined;
  for (const param of params) {
    const [name = '', paramValue = ''] = param.split('=').map((part) => part.trim().toLowerCase());
    if (name !== 'refresher') continue;
    if (paramValue !== 'uac' && paramValue !== 'uas') return undefined;
    refresher = paramValue;
  }
  return { seconds, refresher };
}

/** delta-seconds (RFC 3261 §25.1): undefined for an empty value, null for a malformed one. */
function parseDeltaSeconds(value: string): number | undefined | null {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!/^\d{1,10}$/.test(trimmed)) return null;
  return Number(trimmed);
}
