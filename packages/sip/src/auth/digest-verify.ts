import { timingSafeEqual } from 'node:crypto';
import {
  computeDigestResponse,
  computeHa1,
  digestHashOf,
  isSessionAlgorithm,
  toDigestAlgorithm,
  type DigestAlgorithm,
  type DigestHash,
} from './digest-algorithm.ts';
import { nonceCountValue, type DigestCredentials } from './digest-credentials.ts';
import type { NonceCountTracker } from './nonce-count.ts';
import type { NonceStatus } from './nonce.ts';

/*
 * Checking a client's Digest credentials: RFC 3261 §22.4 and RFC 7616 §3.4 on the server
 * side. The answer tells the caller (the registrar, or call control for a 407) which of
 * three replies to send and whether the attempt counts against the brute-force guard:
 *
 *   authenticated  → go on with the request
 *   stale          → 401/407 with stale=true: the password was right, the nonce not
 *   failed         → 401/407 afresh (or 403 once blocked); counts as a failed attempt
 *   rejected       → 401/407 afresh; the credentials were unusable, not a wrong password
 */

/** What the registrar knows of the user: the password, or stored H(user:realm:password). */
export type DigestSecret =
  { readonly password: string } | { readonly ha1: Readonly<Partial<Record<DigestHash, string>>> };

export interface VerifyDigestInput {
  /** The request's method (RFC 3261 §22.4: A2 = Method ":" digest-uri). */
  readonly method: string;
  readonly credentials: DigestCredentials;
  /**
   * `undefined` when no such user exists: the digest is still computed and the answer is
   * `failed`, so neither the reply nor its timing tells which usernames exist.
   */
  readonly secret: DigestSecret | undefined;
  /** The realm we challenged with: the tenant's SIP domain. */
  readonly realm: string;
  /** Usually `(nonce) => issuer.checkNonce(nonce, clock(), source)`. */
  readonly checkNonce: (nonce: string) => NonceStatus;
  /** Replay protection for qop=auth; without it a valid nonce can be replayed until it expires. */
  readonly nonceCounts?: NonceCountTracker | undefined;
  /** The algorithms we offered; default SHA-256 and MD5. */
  readonly algorithms?: readonly DigestAlgorithm[] | undefined;
  /** Accept the RFC 2069 form (no qop, no nc): old phones. Default true. */
  readonly allowWithoutQop?: boolean | undefined;
}

export type DigestVerdict =
  | {
      readonly kind: 'authenticated';
      readonly username: string;
      readonly algorithm: DigestAlgorithm;
    }
  | {
      readonly kind: 'stale';
      readonly reason: 'nonce_expired' | 'nonce_count_replayed' | 'nonce_count_untracked';
    }
  | { readonly kind: 'failed'; readonly reason: 'wrong_response' | 'unknown_user' }
  | {
      readonly kind: 'rejected';
      readonly reason:
        | 'realm_mismatch'
        | 'algorithm_not_offered'
        | 'no_secret_for_algorithm'
        | 'qop_not_supported'
        | 'qop_required'
        | 'nonce_invalid';
    };

const defaultAlgorithms: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export function verifyDigest(input: VerifyDigestInput): DigestVerdict {
  const { credentials } = input;
  // RFC 3261 §22.4: credentials for another realm are not an answer to our challenge.
  if (credentials.realm !== input.realm) return { kind: 'rejected', reason: 'realm_mismatch' };

  const algorithm = toDigestAlgorithm(credentials.algorithm);
  if (algorithm === undefined || !(input.algorithms ?? defaultAlgorithms).includes(algorithm)) {
    return { kind: 'rejected', reason: 'algorithm_not_offered' };
  }
  const qop = credentials.qop?.toLowerCase();
  if (qop !== undefined && qop !== 'auth') return { kind: 'rejected', reason: 'qop_not_supported' };
  if (qop === undefined && (input.allowWithoutQop === false || isSessionAlgorithm(algorithm))) {
    return { kind: 'rejected', reason: 'qop_required' };
  }

  // A forged or garbled nonce says nothing about the password: no digest is computed.
  const nonceStatus = input.checkNonce(credentials.nonce);
  if (nonceStatus === 'invalid') return { kind: 'rejected', reason: 'nonce_invalid' };

  const hash = digestHashOf(algorithm);
  const ha1 = ha1Of(input.secret, hash, credentials.username, input.realm);
  if (ha1 === null) return { kind: 'rejected', reason: 'no_secret_for_algorithm' };
  const expected = computeDigestResponse({
    algorithm,
    ha1,
    method: input.method,
    uri: credentials.uri,
    nonce: credentials.nonce,
    qop: qop === undefined ? undefined : 'auth',
    nc: credentials.nc,
    cnonce: credentials.cnonce,
  });
  const matches = constantTimeEqual(expected, credentials.response.toLowerCase());
  if (input.secret === undefined) return { kind: 'failed', reason: 'unknown_user' };
  if (!matches) return { kind: 'failed', reason: 'wrong_response' };

  // RFC 7616 §3.3: stale=true only when the digest is right for the old nonce — the client
  // knows the password, so it may retry without asking the user.
  if (nonceStatus === 'stale') return { kind: 'stale', reason: 'nonce_expired' };
  if (qop !== undefined && credentials.nc !== undefined && input.nonceCounts !== undefined) {
    const count = input.nonceCounts.accept(credentials.nonce, nonceCountValue(credentials.nc));
    if (count === 'replayed') return { kind: 'stale', reason: 'nonce_count_replayed' };
    if (count === 'untracked') return { kind: 'stale', reason: 'nonce_count_untracked' };
  }
  return { kind: 'authenticated', username: credentials.username, algorithm };
}

/** HA1 for the hash; null when only HA1s for other hashes are stored. */
function ha1Of(
  secret: DigestSecret | undefined,
  hash: DigestHash,
  username: string,
  realm: string,
): string | null {
  // An unknown user gets a throw-away HA1 so the work done looks the same.
  if (secret === undefined) return computeHa1(hash, username, realm, '\u0000unknown user');
  if ('password' in secret) return computeHa1(hash, username, realm, secret.password);
  return secret.ha1[hash] ?? null;
}

function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a digest is no secret.
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}
