import { describe, expect, it } from 'vitest';
import {
  computeDigestResponse,
  computeHa1,
  toDigestAlgorithm,
  type DigestAlgorithm,
} from './digest-algorithm.ts';
import { DigestError } from './digest-error.ts';

// RFC 7616 §3.9.1 (HTTP, the same computation): user Mufasa, password "Circle of Life"
// (lower-case "of", erratum 4495), GET /dir/index.html, nc=00000001, qop=auth.
const rfc7616 = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

// A SIP REGISTER we wrote ourselves; the expected values were computed independently with
// `openssl dgst` (HA1, HA2 and the response hashed step by step in the shell).
const sip = {
  username: 'alice',
  realm: 'acme.pbx.example',
  password: 's3cret!',
  method: 'REGISTER',
  uri: 'sip:acme.pbx.example',
  nonce: 'AQAAAZBWSbQAr0eFBfvHOa6mz3JQ',
  nc: '00000001',
  cnonce: '0a4f113b',
};

function sipResponse(algorithm: DigestAlgorithm): string {
  const hash = algorithm.startsWith('SHA-256') ? 'SHA-256' : 'MD5';
  return computeDigestResponse({
    ...sip,
    algorithm,
    qop: 'auth',
    ha1: computeHa1(hash, sip.username, sip.realm, sip.password),
  });
}

describe('computeDigestResponse', () => {
  it.each([
    ['MD5', 'MD5', '8ca523f5e9506fed4657c9700eebdbec'],
    ['SHA-256', 'SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
  ] as const)('matches RFC 7616 §3.9.1 for %s', (algorithm, hash, expected) => {
    const ha1 = computeHa1(hash, 'Mufasa', rfc7616.realm, 'Circle of Life');
    const response = computeDigestResponse({
      algorithm,
      ha1,
      method: 'GET',
      uri: '/dir/index.html',
      nonce: rfc7616.nonce,
      qop: 'auth',
      nc: '00000001',
      cnonce: rfc7616.cnonce,
    });
    expect(response).toBe(expected);
  });

  it('matches RFC 2617 §3.5 (MD5, qop=auth) and its RFC 2069 form without qop', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const base = {
      algorithm: 'MD5' as const,
      ha1,
      method: 'GET',
      uri: '/dir/index.html',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
    };
    expect(
      computeDigestResponse({ ...base, qop: 'auth', nc: '00000001', cnonce: '0a4f113b' }),
    ).toBe('6629fae49393a05397450978507c4ef1');
    // The legacy value was computed with openssl: MD5(HA1 ":" nonce ":" HA2).
    expect(computeDigestResponse(base)).toBe('670fd8c2df070c60b045671b8b24ff02');
  });

  it('computes a SIP REGISTER digest for MD5, SHA-256 and SHA-256-sess', () => {
    expect(computeHa1('MD5', sip.username, sip.realm, sip.password)).toBe(
      '735477330f63963822463a55d8710e8d',
    );
    expect(sipResponse('MD5')).toBe('644b1a2aec0ccf069cff32370dfe3131');
    expect(sipResponse('SHA-256')).toBe(
      '264c61eb633ecd09fe292c795ba6ee3c36237153095e6001e5073fd5a9386678',
    );
    expect(sipResponse('SHA-256-sess')).toBe(
      '5874fa025cdc3bdc837d4b786bbb24f950a45a898ed0e957e4179e5f25fa266c',
    );
  });

  it('takes an upper-case stored HA1 as the same value', () => {
    const ha1 = computeHa1('MD5', sip.username, sip.realm, sip.password).toUpperCase();
    expect(computeDigestResponse({ ...sip, algorithm: 'MD5', qop: 'auth', ha1 })).toBe(
      '644b1a2aec0ccf069cff32370dfe3131',
    );
  });

  it('refuses -sess without a cnonce and qop without nc', () => {
    const base = { ...sip, ha1: '0'.repeat(32) };
    expect(() =>
      computeDigestResponse({ ...base, algorithm: 'MD5-sess', cnonce: undefined }),
    ).toThrow(DigestError);
    expect(() =>
      computeDigestResponse({ ...base, algorithm: 'MD5', qop: 'auth', nc: undefined }),
    ).toThrow(DigestError);
  });
});

describe('toDigestAlgorithm', () => {
  it('defaults to MD5, ignores case and knows no others', () => {
    expect(toDigestAlgorithm(undefined)).toBe('MD5');
    expect(toDigestAlgorithm('sha-256')).toBe('SHA-256');
    expect(toDigestAlgorithm('md5-SESS')).toBe('MD5-sess');
    expect(toDigestAlgorithm('SHA-512-256')).toBeUndefined();
    expect(toDigestAlgorithm('AKAv1-MD5')).toBeUndefined();
  });
});
