import { createHash } from 'node:crypto';
import { DigestError } from './digest-error.ts';

/*
 * The Digest computation, RFC 7616 §3.4.1–3.4.3 (RFC 8760 §2 brings it to SIP, RFC 3261
 * §22.4 defines A2 with the SIP method; RFC 2069 is the legacy form without qop):
 *
 *   A1       = username ":" realm ":" passwd                          (algorithm X)
 *   A1       = H(username ":" realm ":" passwd) ":" nonce ":" cnonce  (algorithm X-sess)
 *   A2       = Method ":" request-uri                                 (qop=auth or none)
 *   response = KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2))   (qop=auth)
 *   response = KD(H(A1), nonce ":" H(A2))                            (no qop, RFC 2069)
 *   KD(secret, data) = H(secret ":" data)
 *
 * Strings are hashed as UTF-8 (RFC 7616 §4: charset=UTF-8 is the only charset defined).
 */

/** The algorithms we compute, in our order of preference (RFC 8760 §2.4: strongest first). */
export const digestAlgorithms = ['SHA-256', 'SHA-256-sess', 'MD5', 'MD5-sess'] as const;
export type DigestAlgorithm = (typeof digestAlgorithms)[number];

/** The hash function under an algorithm; a stored HA1 is per hash, not per -sess variant. */
export type DigestHash = 'MD5' | 'SHA-256';

const algorithmTable: Record<DigestAlgorithm, { hash: DigestHash; session: boolean }> = {
  'SHA-256': { hash: 'SHA-256', session: false },
  'SHA-256-sess': { hash: 'SHA-256', session: true },
  MD5: { hash: 'MD5', session: false },
  'MD5-sess': { hash: 'MD5', session: true },
};

const nodeHashName: Record<DigestHash, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

/** Hex length of a digest: the `response` value must have exactly this many LHEX. */
export const digestHexLength: Record<DigestHash, number> = { MD5: 32, 'SHA-256': 64 };

/** Maps an `algorithm` token to ours; absent means MD5 (RFC 3261 §25.1, RFC 7616 §3.3). */
export function toDigestAlgorithm(token: string | undefined): DigestAlgorithm | undefined {
  if (token === undefined) return 'MD5';
  // Algorithm names are compared case-insensitively: phones send "md5" as often as "MD5".
  return digestAlgorithms.find((name) => name.toLowerCase() === token.toLowerCase());
}

export function digestHashOf(algorithm: DigestAlgorithm): DigestHash {
  return algorithmTable[algorithm].hash;
}

export function isSessionAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithmTable[algorithm].session;
}

function hashHex(hash: DigestHash, data: string): string {
  return createHash(nodeHashName[hash]).update(data, 'utf8').digest('hex');
}

/**
 * H(username ":" realm ":" password): what a registrar may store instead of the password
 * (one per hash function it offers). The -sess variants start from the same value.
 */
export function computeHa1(
  hash: DigestHash,
  username: string,
  realm: string,
  password: string,
): string {
  return hashHex(hash, `${username}:${realm}:${password}`);
}

export interface DigestResponseInput {
  readonly algorithm: DigestAlgorithm;
  /** H(username:realm:password) for the algorithm's hash, lower-case hex. */
  readonly ha1: string;
  /** The SIP method of the request (RFC 3261 §22.4: A2 uses it, not the CSeq method). */
  readonly method: string;
  /** The `uri` parameter exactly as the client sent it. */
  readonly uri: string;
  readonly nonce: string;
  /** `auth` with nc and cnonce, or absent for the RFC 2069 form. */
  readonly qop?: 'auth' | undefined;
  /** nonce-count as the client wrote it (8 hex digits); hashed verbatim. */
  readonly nc?: string | undefined;
  readonly cnonce?: string | undefined;
}

/** The request-digest (lower-case hex) for the given inputs. */
export function computeDigestResponse(input: DigestResponseInput): string {
  const hash = digestHashOf(input.algorithm);
  let ha1 = input.ha1.toLowerCase();
  if (isSessionAlgorithm(input.algorithm)) {
    // RFC 7616 §3.4.2: the -sess A1 needs the cnonce, so it needs qop as well.
    if (input.cnonce === undefined) {
      throw new DigestError('missing_parameter', `${input.algorithm} needs a cnonce`, 'cnonce');
    }
    ha1 = hashHex(hash, `${ha1}:${input.nonce}:${input.cnonce}`);
  }
  const ha2 = hashHex(hash, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return hashHex(hash, `${ha1}:${input.nonce}:${ha2}`);
  if (input.nc === undefined || input.cnonce === undefined) {
    const missing = input.nc === undefined ? 'nc' : 'cnonce';
    throw new DigestError('missing_parameter', `qop=${input.qop} needs ${missing}`, missing);
  }
  return hashHex(hash, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}
