import {
  buildChallenges,
  createResponse,
  parseDigestCredentials,
  sourceKeyOf,
  verifyDigest,
  type AuthFailureGuard,
  type DigestAlgorithm,
  type GuardUser,
  type NonceCountTracker,
  type NonceIssuer,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';

export interface AuthenticatorDeps {
  /** An extension's SIP password, or undefined when there is no such extension. */
  sipPassword(tenantId: string, user: string): Promise<string | undefined>;
  nonces: NonceIssuer;
  nonceCounts: NonceCountTracker;
  guard: AuthFailureGuard;
  clock: () => Date;
  /** The challenges offered, in order (see docs/sip.md on why MD5 alone by default). */
  digestAlgorithms: readonly DigestAlgorithm[];
}

export interface AuthenticationRequest {
  readonly tenantId: string;
  /** The digest realm: the tenant's SIP domain. */
  readonly realm: string;
  /** The address the request came from: nonces are bound to it, failures counted by it. */
  readonly sourceAddress: string;
  /**
   * 401 with WWW-Authenticate for a registrar or a UAS, 407 with Proxy-Authenticate for
   * requests Provod forwards or bridges (RFC 3261 §22.2, §22.3).
   */
  readonly challengeStatus: 401 | 407;
  /** The user the request claims to be, checked against the failure guard up front. */
  readonly claimedUser: string | undefined;
}

export type AuthenticationOutcome =
  | { readonly kind: 'authenticated'; readonly username: string }
  | { readonly kind: 'refused'; readonly response: SipResponse };

// RFC 3261 §22.2 (UAS, registrar) and §22.3 (proxy-style) header pairs.
const headerNamesFor = {
  401: { challenge: 'WWW-Authenticate', credentials: 'authorization' },
  407: { challenge: 'Proxy-Authenticate', credentials: 'proxy-authorization' },
} as const;

const blocked = (request: SipRequest): AuthenticationOutcome => ({
  kind: 'refused',
  response: createResponse(request, 403, { reason: 'Forbidden (too many failed attempts)' }),
});

/**
 * Digest authentication of one request (RFC 7616 / RFC 8760 over RFC 3261 §22): refuses
 * a source or user the failure guard has blocked, challenges a request without
 * credentials, answers a stale nonce with stale=true, and counts wrong passwords.
 * Shared by the registrar and call control so both apply the same rules.
 */
export function createRequestAuthenticator(deps: AuthenticatorDeps) {
  async function authenticate(
    request: SipRequest,
    ask: AuthenticationRequest,
  ): Promise<AuthenticationOutcome> {
    const now = deps.clock();
    const names = headerNamesFor[ask.challengeStatus];
    const sourceKey = sourceKeyOf(ask.sourceAddress);
    const claimed: GuardUser | undefined =
      ask.claimedUser === undefined
        ? undefined
        : { tenant: ask.tenantId, username: ask.claimedUser };
    if (deps.guard.check(sourceKey, claimed).decision === 'blocked') return blocked(request);

    const challenge = (stale: boolean): AuthenticationOutcome => ({
      kind: 'refused',
      response: createResponse(request, ask.challengeStatus, {
        headers: buildChallenges({
          realm: ask.realm,
          nonce: deps.nonces.issueNonce(now, ask.sourceAddress),
          stale,
          algorithms: deps.digestAlgorithms,
        }).map((value): [string, string] => [names.challenge, value]),
      }),
    });
    const header = request.headers.get(names.credentials);
    if (header === undefined) return challenge(false);
    const credentials = parseDigestCredentials(header);
    const password = await deps.sipPassword(ask.tenantId, credentials.username);
    const verdict = verifyDigest({
      method: request.method,
      credentials,
      secret: password === undefined ? undefined : { password },
      realm: ask.realm,
      checkNonce: (nonce) => deps.nonces.checkNonce(nonce, now, ask.sourceAddress),
      nonceCounts: deps.nonceCounts,
      algorithms: deps.digestAlgorithms,
    });
    switch (verdict.kind) {
      case 'stale':
        return challenge(true);
      case 'rejected':
        return challenge(false);
      case 'failed': {
        const user = { tenant: ask.tenantId, username: credentials.username };
        const after = deps.guard.recordFailure(sourceKey, user);
        return after.decision === 'blocked' ? blocked(request) : challenge(false);
      }
      case 'authenticated':
        deps.guard.recordSuccess(sourceKey, { tenant: ask.tenantId, username: verdict.username });
        return { kind: 'authenticated', username: verdict.username };
    }
  }

  return { authenticate };
}

export type RequestAuthenticator = ReturnType<typeof createRequestAuthenticator>;
