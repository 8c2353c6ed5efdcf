import { describe, expect, it } from 'vitest';
import { buildChallenges, formatChallenge, parseDigestChallenge } from './digest-challenge.ts';
import { DigestError } from './digest-error.ts';

// RFC 7616 §3.9.1, the WWW-Authenticate value as printed there (folded lines, CRLF).
const rfc7616Challenge =
  'Digest\r\n    realm="http-auth@example.org",\r\n    qop="auth, auth-int",\r\n' +
  '    algorithm=SHA-256,\r\n    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n' +
  '    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

describe('parseDigestChallenge', () => {
  it('reads the RFC 7616 §3.9.1 challenge', () => {
    expect(parseDigestChallenge(rfc7616Challenge)).toEqual({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      stale: false,
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      domain: undefined,
    });
  });

  it('defaults the algorithm to MD5 and reads stale case-insensitively (RFC 2617 TRUE)', () => {
    const parsed = parseDigestChallenge('Digest realm="a", nonce="n", stale=TRUE');
    expect(parsed.algorithm).toBe('MD5');
    expect(parsed.stale).toBe(true);
    expect(parsed.qop).toEqual([]);
  });

  it('names what is missing or wrong', () => {
    const codeOf = (value: string): [string, string | undefined] => {
      try {
        parseDigestChallenge(value);
      } catch (error) {
        if (error instanceof DigestError) return [error.code, error.parameter];
        throw error;
      }
      return ['none', undefined];
    };
    expect(codeOf('Digest nonce="n"')).toEqual(['missing_parameter', 'realm']);
    expect(codeOf('Digest realm="r"')).toEqual(['missing_parameter', 'nonce']);
    expect(codeOf('Digest realm="r", nonce="n", stale=maybe')).toEqual([
      'invalid_parameter',
      'stale',
    ]);
    expect(codeOf('Digest realm="r", nonce="n", qop="auth,"')).toEqual([
      'invalid_parameter',
      'qop',
    ]);
    expect(codeOf('Basic realm="r"')).toEqual(['unsupported_scheme', undefined]);
  });
});

describe('formatChallenge and buildChallenges', () => {
  it('round-trips a challenge', () => {
    const challenge = parseDigestChallenge(rfc7616Challenge);
    const written = formatChallenge(challenge);
    expect(written).toBe(
      'Digest realm="http-auth@example.org", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", ' +
        'opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", algorithm=SHA-256, qop="auth,auth-int"',
    );
    expect(parseDigestChallenge(written)).toEqual(challenge);
  });

  it('sends one challenge per algorithm in the order of preference given (RFC 8760 §2.4)', () => {
    const input = { realm: 'acme.pbx.example', nonce: 'N1', stale: false };
    expect(buildChallenges(input)).toEqual([
      'Digest realm="acme.pbx.example", nonce="N1", algorithm=SHA-256, qop="auth"',
      'Digest realm="acme.pbx.example", nonce="N1", algorithm=MD5, qop="auth"',
    ]);
    expect(buildChallenges({ ...input, algorithms: ['MD5', 'SHA-256', 'MD5'] })).toEqual([
      'Digest realm="acme.pbx.example", nonce="N1", algorithm=MD5, qop="auth"',
      'Digest realm="acme.pbx.example", nonce="N1", algorithm=SHA-256, qop="auth"',
    ]);
  });

  it('marks a stale challenge and carries opaque', () => {
    const [value] = buildChallenges({ realm: 'r', nonce: 'N', opaque: 'o', stale: true });
    expect(value).toBe(
      'Digest realm="r", nonce="N", opaque="o", stale=true, algorithm=SHA-256, qop="auth"',
    );
  });

  it('refuses an empty algorithm list and a realm that would break the header', () => {
    expect(() => buildChallenges({ realm: 'r', nonce: 'n', stale: false, algorithms: [] })).toThrow(
      RangeError,
    );
    expect(() => buildChallenges({ realm: 'r\r\nX: y', nonce: 'n', stale: false })).toThrow(
      DigestError,
    );
  });
});
