import { describe, expect, it } from 'vitest';
import { computeDigestResponse, computeHa1, type DigestAlgorithm } from './digest-algorithm.ts';
import { parseDigestCredentials, type DigestCredentials } from './digest-credentials.ts';
import { verifyDigest, type VerifyDigestInput } from './digest-verify.ts';
import { NonceCountTracker } from './nonce-count.ts';
import type { NonceStatus } from './nonce.ts';

const realm = 'acme.pbx.example';
const password = 's3cret!';
// The SIP REGISTER of digest-algorithm.test.ts (expected digest cross-checked with openssl).
const sipCredentials =
  'Digest username="alice",realm="acme.pbx.example",nonce="AQAAAZBWSbQAr0eFBfvHOa6mz3JQ",' +
  'uri="sip:acme.pbx.example",response="644b1a2aec0ccf069cff32370dfe3131",algorithm=MD5,' +
  'cnonce="0a4f113b",qop=auth,nc=00000001';

function input(
  credentials: DigestCredentials,
  overrides: Partial<VerifyDigestInput> = {},
): VerifyDigestInput {
  return {
    method: 'REGISTER',
    credentials,
    secret: { password },
    realm,
    checkNonce: (): NonceStatus => 'valid',
    ...overrides,
  };
}

/** Credentials a phone would send for the given algorithm and nc. */
function signed(algorithm: DigestAlgorithm, nc = '00000001', pass = password): DigestCredentials {
  const base = parseDigestCredentials(sipCredentials);
  const hash = algorithm.startsWith('SHA-256') ? 'SHA-256' : 'MD5';
  const response = computeDigestResponse({
    ...base,
    algorithm,
    nc,
    qop: 'auth',
    method: 'REGISTER',
    ha1: computeHa1(hash, base.username, realm, pass),
  });
  return { ...base, algorithm, nc, response };
}

describe('verifyDigest', () => {
  it('authenticates the real SIP value with the password or a stored HA1', () => {
    const credentials = parseDigestCredentials(sipCredentials);
    expect(verifyDigest(input(credentials))).toEqual({
      kind: 'authenticated',
      username: 'alice',
      algorithm: 'MD5',
    });
    const ha1 = { MD5: '735477330f63963822463a55d8710e8d' };
    expect(verifyDigest(input(credentials, { secret: { ha1 } })).kind).toBe('authenticated');
    expect(verifyDigest(input(signed('SHA-256'), { secret: { ha1 } }))).toEqual({
      kind: 'rejected',
      reason: 'no_secret_for_algorithm',
    });
  });

  it('authenticates the RFC 7616 §3.9.1 SHA-256 credentials (method GET)', () => {
    const credentials = parseDigestCredentials(
      'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", ' +
        'algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
        'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
        'response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"',
    );
    const verdict = verifyDigest({
      method: 'GET',
      credentials,
      secret: { password: 'Circle of Life' },
      realm: 'http-auth@example.org',
      checkNonce: () => 'valid',
    });
    expect(verdict).toEqual({ kind: 'authenticated', username: 'Mufasa', algorithm: 'SHA-256' });
  });

  it('authenticates SHA-256-sess and the RFC 2069 form without qop', () => {
    expect(verifyDigest(input(signed('SHA-256-sess'), { algorithms: ['SHA-256-sess'] })).kind).toBe(
      'authenticated',
    );
    const base = parseDigestCredentials(sipCredentials);
    const legacy: DigestCredentials = {
      ...base,
      qop: undefined,
      nc: undefined,
      cnonce: undefined,
      response: computeDigestResponse({
        ...base,
        algorithm: 'MD5',
        qop: undefined,
        method: 'REGISTER',
        ha1: computeHa1('MD5', 'alice', realm, password),
      }),
    };
    expect(verifyDigest(input(legacy)).kind).toBe('authenticated');
    expect(verifyDigest(input(legacy, { allowWithoutQop: false }))).toEqual({
      kind: 'rejected',
      reason: 'qop_required',
    });
  });

  it('fails a wrong password, another method, and an unknown user alike', () => {
    expect(verifyDigest(input(signed('MD5', '00000001', 'guess')))).toEqual({
      kind: 'failed',
      reason: 'wrong_response',
    });
    expect(verifyDigest(input(signed('MD5'), { method: 'INVITE' })).kind).toBe('failed');
    expect(verifyDigest(input(signed('MD5'), { secret: undefined }))).toEqual({
      kind: 'failed',
      reason: 'unknown_user',
    });
  });

  it('answers stale only when the digest is right for an expired nonce (RFC 7616 §3.3)', () => {
    const checkNonce = (): NonceStatus => 'stale';
    expect(verifyDigest(input(signed('MD5'), { checkNonce }))).toEqual({
      kind: 'stale',
      reason: 'nonce_expired',
    });
    expect(verifyDigest(input(signed('MD5', '00000001', 'guess'), { checkNonce })).kind).toBe(
      'failed',
    );
  });

  it('rejects invalid nonces, other realms, algorithms not offered and auth-int', () => {
    const creds = signed('MD5');
    expect(verifyDigest(input(creds, { checkNonce: () => 'invalid' }))).toEqual({
      kind: 'rejected',
      reason: 'nonce_invalid',
    });
    expect(verifyDigest(input(creds, { realm: 'other.pbx.example' })).kind).toBe('rejected');
    expect(verifyDigest(input(creds, { algorithms: ['SHA-256'] }))).toEqual({
      kind: 'rejected',
      reason: 'algorithm_not_offered',
    });
    expect(verifyDigest(input({ ...creds, algorithm: 'SHA-512-256' })).kind).toBe('rejected');
    expect(verifyDigest(input({ ...creds, qop: 'auth-int' }))).toEqual({
      kind: 'rejected',
      reason: 'qop_not_supported',
    });
  });

  it('refuses a replayed nonce-count, and records counts only for correct digests', () => {
    const nonceCounts = new NonceCountTracker();
    // A wrong response with a huge nc must not lock the phone out of its nonce.
    verifyDigest(input(signed('MD5', 'ffffffff', 'guess'), { nonceCounts }));
    expect(verifyDigest(input(signed('MD5', '00000001'), { nonceCounts })).kind).toBe(
      'authenticated',
    );
    expect(verifyDigest(input(signed('MD5', '00000001'), { nonceCounts }))).toEqual({
      kind: 'stale',
      reason: 'nonce_count_replayed',
    });
    expect(verifyDigest(input(signed('MD5', '00000002'), { nonceCounts })).kind).toBe(
      'authenticated',
    );
    const fresh = new NonceCountTracker();
    expect(verifyDigest(input(signed('MD5', '00000007'), { nonceCounts: fresh }))).toEqual({
      kind: 'stale',
      reason: 'nonce_count_untracked',
    });
  });
});
