import { randomBytes } from 'node:crypto';
import {
  computeDigestResponse,
  computeHa1,
  digestHashOf,
  toDigestAlgorithm,
} from './digest-algorithm.ts';
import type { DigestChallenge } from './digest-challenge.ts';
import { formatCredentials } from './digest-credentials.ts';
import { DigestError } from './digest-error.ts';

export interface DigestAccount {
  readonly username: string;
  readonly password: string;
}

export interface DigestRequest {
  readonly method: string;
  /** The Request-URI, as the `uri` parameter repeats it (RFC 3261 §22.4). */
  readonly uri: string;
}

/**
 * Provod as a UAC answering a server's challenge (a carrier's 401/407 to a trunk call or
 * registration, RFC 3261 §22.2): the Authorization / Proxy-Authorization value. With
 * qop=auth offered it is used (RFC 7616 §3.4: nc 00000001 with a fresh cnonce for each
 * new nonce); without qop, the RFC 2069 form. Throws DigestError('invalid_parameter')
 * for an algorithm Provod cannot compute.
 */
export function authorizationFor(
  challenge: DigestChallenge,
  account: DigestAccount,
  request: DigestRequest,
  cnonce: string = randomBytes(8).toString('hex'),
): string {
  const algorithm = toDigestAlgorithm(challenge.algorithm);
  if (algorithm === undefined) {
    throw new DigestError(
      'invalid_parameter',
      `the server asks for ${challenge.algorithm}, which Provod cannot compute`,
      'algorithm',
    );
  }
  const ha1 = computeHa1(
    digestHashOf(algorithm),
    account.username,
    challenge.realm,
    account.password,
  );
  const withQop = challenge.qop.includes('auth');
  const nc = '00000001';
  const response = computeDigestResponse({
    algorithm,
    ha1,
    method: request.method,
    uri: request.uri,
    nonce: challenge.nonce,
    ...(withQop ? { qop: 'auth' as const, nc, cnonce } : {}),
  });
  return formatCredentials({
    username: account.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    response,
    algorithm: challenge.algorithm,
    ...(challenge.opaque === undefined ? {} : { opaque: challenge.opaque }),
    ...(withQop ? { qop: 'auth', nc, cnonce } : {}),
  });
}
