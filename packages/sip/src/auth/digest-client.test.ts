import { describe, expect, it } from 'vitest';
import { parseDigestChallenge } from './digest-challenge.ts';
import { authorizationFor } from './digest-client.ts';
import { parseDigestCredentials } from './digest-credentials.ts';
import { isDigestError } from './digest-error.ts';

describe('answering a server’s digest challenge', () => {
  it('reproduces RFC 2617 §3.5’s worked example (MD5, qop=auth)', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", ' +
        'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    const value = authorizationFor(
      challenge,
      { username: 'Mufasa', password: 'Circle Of Life' },
      { method: 'GET', uri: '/dir/index.html' },
      '0a4f113b',
    );
    const credentials = parseDigestCredentials(value);
    expect(credentials).toMatchObject({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      response: '6629fae49393a05397450978507c4ef1',
    });
  });

  it('answers an RFC 2069 challenge (no qop) and a SHA-256 one', () => {
    const plain = parseDigestCredentials(
      authorizationFor(
        parseDigestChallenge('Digest realm="carrier", nonce="abc"'),
        { username: 'trunk', password: 'secret' },
        { method: 'INVITE', uri: 'sip:+74951234567@carrier.example' },
      ),
    );
    expect(plain.qop).toBeUndefined();
    expect(plain.cnonce).toBeUndefined();
    const sha = parseDigestCredentials(
      authorizationFor(
        parseDigestChallenge('Digest realm="carrier", nonce="xyz", algorithm=SHA-256, qop="auth"'),
        { username: 'trunk', password: 'secret' },
        { method: 'REGISTER', uri: 'sip:carrier.example' },
      ),
    );
    expect(sha.algorithm).toBe('SHA-256');
    expect(sha.response).toHaveLength(64);
  });

  it('refuses an algorithm it cannot compute, with a DigestError', () => {
    const challenge = parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256');
    const attempt = () =>
      authorizationFor(
        challenge,
        { username: 'u', password: 'p' },
        { method: 'INVITE', uri: 'sip:x' },
      );
    expect(attempt).toThrow();
    try {
      attempt();
    } catch (error) {
      expect(isDigestError(error)).toBe(true);
    }
  });
});
