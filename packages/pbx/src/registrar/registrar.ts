import {
  createResponse,
  getParam,
  isDigestError,
  isSipParseError,
  parseCSeq,
  parseExpires,
  parseNameAddr,
  parseRequestUri,
  serializeDate,
  serializeUri,
  type AuthFailureGuard,
  type DigestAlgorithm,
  type NonceCountTracker,
  type NonceIssuer,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { createRequestAuthenticator } from '../auth/request-authenticator.ts';
import type { FlowSource, LocationService } from './location-service.ts';

export interface RegistrarDirectory {
  /** The tenant serving a SIP domain; its domain is the digest realm. */
  tenantByDomain(domain: string): Promise<{ tenantId: string } | undefined>;
  /** An extension's SIP password, or undefined when there is no such extension. */
  sipPassword(tenantId: string, user: string): Promise<string | undefined>;
}

export interface RegistrarLimits {
  /** Shorter non-zero intervals get 423 with Min-Expires (RFC 3261 §10.3 step 7). */
  minExpires: number;
  maxExpires: number;
  /** Used when neither the Contact nor the request names an interval. */
  defaultExpires: number;
}

export interface RegistrarDeps {
  directory: RegistrarDirectory;
  location: LocationService;
  nonces: NonceIssuer;
  nonceCounts: NonceCountTracker;
  guard: AuthFailureGuard;
  clock: () => Date;
  limits?: RegistrarLimits;
  /**
   * The challenges offered, in order. MD5 alone by default: RFC 8760 §2.4 has a phone take
   * the first algorithm it supports among several challenges, but deployed UACs do not —
   * sipp 3.6 reads only the first challenge, and baresip 1.0 (libre 1.1, Debian 12)
   * refuses a whole 401 that holds any non-MD5 challenge. Offer SHA-256 by configuration
   * where the phones are known to cope.
   */
  digestAlgorithms?: readonly DigestAlgorithm[];
}

export const defaultDigestAlgorithms: readonly DigestAlgorithm[] = ['MD5'];

export const defaultRegistrarLimits: RegistrarLimits = {
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: 3600,
};

/**
 * REGISTER processing as RFC 3261 §10.3 orders it: the domain, then authentication
 * (digest, realm = the tenant's SIP domain), then the authenticated user may only bind
 * its own address of record, then the contacts. Always answers; never throws for bad
 * input (a malformed header is a 400 naming it).
 */
export function createRegistrar(deps: RegistrarDeps) {
  const limits = deps.limits ?? defaultRegistrarLimits;
  const authenticator = createRequestAuthenticator({
    sipPassword: (tenantId, user) => deps.directory.sipPassword(tenantId, user),
    nonces: deps.nonces,
    nonceCounts: deps.nonceCounts,
    guard: deps.guard,
    clock: deps.clock,
    digestAlgorithms: deps.digestAlgorithms ?? defaultDigestAlgorithms,
  });

  async function handle(request: SipRequest, source: FlowSource): Promise<SipResponse> {
    try {
      return await register(request, source);
    } catch (error) {
      if (isSipParseError(error) || isDigestError(error)) {
        return createResponse(request, 400, { reason: `Bad Request (${error.message})` });
      }
      throw error;
    }
  }

  async function register(request: SipRequest, source: FlowSource): Promise<SipResponse> {
    const now = deps.clock();
    const requestUri = parseRequestUri(request.uri);
    if (requestUri.kind !== 'sip') return createResponse(request, 416);
    const domain = requestUri.host.toLowerCase();
    const tenant = await deps.directory.tenantByDomain(domain);
    if (!tenant) return createResponse(request, 404, { reason: 'Domain Not Served' });

    const to = parseNameAddr(request.headers.get('to') ?? '');
    if (to.uri.kind !== 'sip' || to.uri.user === undefined) {
      return createResponse(request, 400, { reason: 'Bad Request (To is not a SIP AOR)' });
    }
    const user = to.uri.user;
    const outcome = await authenticator.authenticate(request, {
      tenantId: tenant.tenantId,
      realm: domain,
      sourceAddress: source.address,
      challengeStatus: 401,
      claimedUser: user,
    });
    if (outcome.kind === 'refused') return outcome.response;
    // §10.3 step 3: an authenticated user registers its own AOR, not a colleague's.
    if (outcome.username !== user) {
      return createResponse(request, 403, { reason: 'Forbidden (not your address of record)' });
    }
    return bindContacts(request, source, { tenantId: tenant.tenantId, user }, now.getTime());
  }

  function bindContacts(
    request: SipRequest,
    source: FlowSource,
    aor: { tenantId: string; user: string },
    now: number,
  ): SipResponse {
    const contacts = request.headers.getAll('contact');
    const expiresHeader = request.headers.get('expires');
    const requestExpires = expiresHeader === undefined ? undefined : parseExpires(expiresHeader);
    const callId = request.headers.get('call-id') ?? '';
    const cseq = parseCSeq(request.headers.get('cseq') ?? '').seq;

    if (contacts.some((contact) => contact.trim() === '*')) {
      // §10.3 step 6: "*" only alone and only with Expires: 0.
      if (contacts.length !== 1 || requestExpires !== 0) {
        return createResponse(request, 400, { reason: 'Bad Request (* needs Expires: 0)' });
      }
      deps.location.removeAll(aor);
      return okWithBindings(request, aor, now);
    }

    const updates = [];
    for (const value of contacts) {
      const contact = parseNameAddr(value);
      const param = getParam(contact.params, 'expires');
      const asked =
        param !== undefined ? parseExpires(param) : (requestExpires ?? limits.defaultExpires);
      if (asked !== 0 && asked < limits.minExpires) {
        return createResponse(request, 423, {
          headers: [['Min-Expires', String(limits.minExpires)]],
        });
      }
      const uri = `<${serializeUri(contact.uri)}>`;
      const existing = deps.location.find(aor, uri);
      // §10.3 step 7: the same Call-ID with an older or equal CSeq is a stale request.
      if (existing && existing.callId === callId && existing.cseq >= cseq) {
        return createResponse(request, 500, { reason: 'Server Internal Error (out of order)' });
      }
      const q = getParam(contact.params, 'q');
      updates.push({
        uri,
        expires: Math.min(asked, limits.maxExpires),
        q: q === undefined ? null : Number(q),
      });
    }
    for (const update of updates) {
      if (update.expires === 0) {
        deps.location.remove(aor, update.uri);
        continue;
      }
      const stored = deps.location.upsert(aor, {
        contact: update.uri,
        expiresAt: now + update.expires * 1000,
        q: update.q,
        callId,
        cseq,
        source,
        userAgent: request.headers.get('user-agent') ?? null,
        registeredAt: now,
      });
      if (!stored) return createResponse(request, 403, { reason: 'Forbidden (too many contacts)' });
    }
    return okWithBindings(request, aor, now);
  }

  /** §10.3 step 8: the 200 lists every current binding with its remaining lifetime. */
  function okWithBindings(
    request: SipRequest,
    aor: { tenantId: string; user: string },
    now: number,
  ): SipResponse {
    const headers: [string, string][] = deps.location
      .lookup(aor, now)
      .map((binding) => [
        'Contact',
        `${binding.contact};expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
      ]);
    headers.push(['Date', serializeDate(new Date(now))]);
    return createResponse(request, 200, { headers });
  }

  return { handle };
}

export type Registrar = ReturnType<typeof createRegistrar>;
