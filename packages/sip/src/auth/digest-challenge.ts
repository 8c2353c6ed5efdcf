import { formatAuthParams, parseAuthParams, type AuthParamOut } from './auth-params.ts';
import { type DigestAlgorithm } from './digest-algorithm.ts';
import { DigestError } from './digest-error.ts';

/*
 * The Digest challenge: the value of WWW-Authenticate (401) or Proxy-Authenticate (407).
 * RFC 3261 §25.1, with RFC 7616 §3.3 and RFC 8760 §2:
 *
 *   challenge    =  "Digest" LWS digest-cln *(COMMA digest-cln)
 *   digest-cln   =  realm / domain / nonce / opaque / stale / algorithm
 *                   / qop-options / auth-param
 *   realm        =  "realm" EQUAL quoted-string
 *   domain       =  "domain" EQUAL LDQUOT URI *( 1*SP URI ) RDQUOT
 *   nonce        =  "nonce" EQUAL quoted-string
 *   opaque       =  "opaque" EQUAL quoted-string
 *   stale        =  "stale" EQUAL ( "true" / "false" )
 *   algorithm    =  "algorithm" EQUAL ( "MD5" / "MD5-sess" / token )
 *   qop-options  =  "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
 *   qop-value    =  "auth" / "auth-int" / token
 */

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string | undefined;
  /** RFC 7616 §3.3: the nonce was stale but the digest was right; retry, do not ask the user. */
  readonly stale: boolean;
  /** The algorithm token as sent; absent means MD5. Map it with `toDigestAlgorithm`. */
  readonly algorithm: string;
  /** The qop-options offered; empty for an RFC 2069 challenge. */
  readonly qop: readonly string[];
  readonly domain?: string | undefined;
}

/** Parses one WWW-Authenticate / Proxy-Authenticate value (the client side: trunks). */
export function parseDigestChallenge(value: string): DigestChallenge {
  const { params } = parseAuthParams(value, 'Digest');
  const required = (name: string): string => {
    const param = params.get(name);
    if (param === undefined) {
      throw new DigestError('missing_parameter', `challenge lacks ${name}`, name);
    }
    return param.value;
  };
  const staleText = params.get('stale')?.value.toLowerCase();
  if (staleText !== undefined && staleText !== 'true' && staleText !== 'false') {
    throw new DigestError('invalid_parameter', `stale must be true or false`, 'stale');
  }
  const qopText = params.get('qop')?.value;
  const qop = qopText === undefined ? [] : qopText.split(',').map((option) => option.trim());
  if (qop.some((option) => option === '')) {
    throw new DigestError('invalid_parameter', 'qop has an empty option', 'qop');
  }
  return {
    realm: required('realm'),
    nonce: required('nonce'),
    opaque: params.get('opaque')?.value,
    stale: staleText === 'true',
    algorithm: params.get('algorithm')?.value ?? 'MD5',
    qop,
    domain: params.get('domain')?.value,
  };
}

/** Writes a challenge value; the inverse of `parseDigestChallenge`. */
export function formatChallenge(challenge: DigestChallenge): string {
  const params: AuthParamOut[] = [{ name: 'realm', value: challenge.realm, quoted: true }];
  if (challenge.domain !== undefined) {
    params.push({ name: 'domain', value: challenge.domain, quoted: true });
  }
  params.push({ name: 'nonce', value: challenge.nonce, quoted: true });
  if (challenge.opaque !== undefined) {
    params.push({ name: 'opaque', value: challenge.opaque, quoted: true });
  }
  // RFC 3261 §25.1 spells it lower-case; an absent stale means false, so only true is sent.
  if (challenge.stale) params.push({ name: 'stale', value: 'true', quoted: false });
  params.push({ name: 'algorithm', value: challenge.algorithm, quoted: false });
  if (challenge.qop.length > 0) {
    params.push({ name: 'qop', value: challenge.qop.join(','), quoted: true });
  }
  return formatAuthParams('Digest', params);
}

export interface BuildChallengesInput {
  /** The tenant's SIP domain: each tenant is its own protection space. */
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string | undefined;
  readonly stale: boolean;
  /** Which algorithms to offer; defaults to SHA-256 and MD5. */
  readonly algorithms?: readonly DigestAlgorithm[] | undefined;
}

/**
 * One challenge value per algorithm, strongest first. RFC 8760 §2.4: a UAS that supports
 * several algorithms sends one WWW-Authenticate (or Proxy-Authenticate) per algorithm in
 * its order of preference, and the UAC takes the first it supports — so phones that know
 * only MD5 still register, while SHA-256 ones use SHA-256. Each value is one header field.
 */
export function buildChallenges(input: BuildChallengesInput): string[] {
  // In the caller's order: it is the server's order of preference (RFC 8760 §2.4).
  const wanted = [...new Set<DigestAlgorithm>(input.algorithms ?? ['SHA-256', 'MD5'])];
  if (wanted.length === 0) throw new RangeError('buildChallenges needs at least one algorithm');
  return wanted.map((algorithm) =>
    formatChallenge({
      realm: input.realm,
      nonce: input.nonce,
      opaque: input.opaque,
      stale: input.stale,
      algorithm,
      // We verify qop=auth only: auth-int would need the body, and SIP phones rarely do it.
      qop: ['auth'],
    }),
  );
}
