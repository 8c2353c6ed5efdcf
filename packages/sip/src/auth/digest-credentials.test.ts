import { describe, expect, it } from 'vitest';
import {
  formatCredentials,
  nonceCountValue,
  parseDigestCredentials,
} from './digest-credentials.ts';
import { DigestError } from './digest-error.ts';

// RFC 7616 §3.9.1, the Authorization value as printed there (folded lines, CRLF).
const rfc7616Credentials =
  'Digest username="Mufasa",\r\n    realm="http-auth@example.org",\r\n' +
  '    uri="/dir/index.html",\r\n    algorithm=SHA-256,\r\n' +
  '    nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",\r\n    nc=00000001,\r\n' +
  '    cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",\r\n    qop=auth,\r\n' +
  '    response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",\r\n' +
  '    opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';

// A REGISTER's Authorization as a SIP phone sends it (RFC 3261 §22.4 field order, MD5).
const sipCredentials =
  'Digest username="alice",realm="acme.pbx.example",nonce="AQAAAZBWSbQAr0eFBfvHOa6mz3JQ",' +
  'uri="sip:acme.pbx.example",response="644b1a2aec0ccf069cff32370dfe3131",algorithm=MD5,' +
  'cnonce="0a4f113b",qop=auth,nc=00000001';

function errorOf(value: string): DigestError {
  try {
    parseDigestCredentials(value);
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError');
}

describe('parseDigestCredentials', () => {
  it('reads the RFC 7616 §3.9.1 credentials', () => {
    expect(parseDigestCredentials(rfc7616Credentials)).toEqual({
      username: 'Mufasa',
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      uri: '/dir/index.html',
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
      algorithm: 'SHA-256',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      qop: 'auth',
      nc: '00000001',
    });
  });

  it('round-trips a SIP phone credentials value byte for byte after one format', () => {
    const parsed = parseDigestCredentials(sipCredentials);
    const written = formatCredentials(parsed);
    expect(written).toBe(
      'Digest username="alice", realm="acme.pbx.example", nonce="AQAAAZBWSbQAr0eFBfvHOa6mz3JQ", ' +
        'uri="sip:acme.pbx.example", response="644b1a2aec0ccf069cff32370dfe3131", algorithm=MD5, ' +
        'cnonce="0a4f113b", qop=auth, nc=00000001',
    );
    expect(parseDigestCredentials(written)).toEqual(parsed);
  });

  it('accepts the RFC 2069 form and over-quoted qop/algorithm, defaulting to MD5', () => {
    const legacy = parseDigestCredentials(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="/dir/index.html", response="670FD8C2DF070C60B045671B8B24FF02"',
    );
    expect(legacy.algorithm).toBe('MD5');
    expect(legacy.qop).toBeUndefined();
    expect(legacy.response).toBe('670fd8c2df070c60b045671b8b24ff02');
    const quoted = parseDigestCredentials(sipCredentials.replace('qop=auth', 'qop="auth"'));
    expect(quoted.qop).toBe('auth');
  });

  it.each(['username', 'realm', 'nonce', 'uri', 'response'])('requires %s', (name) => {
    const without = sipCredentials
      .split(',')
      .filter((part) => !part.replace(/^Digest /, '').startsWith(`${name}=`))
      .join(',');
    const value = without.startsWith('Digest ') ? without : `Digest ${without}`;
    const error = errorOf(value);
    expect(error.code).toBe('missing_parameter');
    expect(error.parameter).toBe(name);
  });

  it('requires cnonce and nc with a qop (RFC 7616 §3.4)', () => {
    expect(errorOf(sipCredentials.replace(',nc=00000001', '')).parameter).toBe('nc');
    expect(errorOf(sipCredentials.replace(',cnonce="0a4f113b"', '')).parameter).toBe('cnonce');
  });

  it('refuses a bad nc, a response of the wrong length, duplicates and other schemes', () => {
    const badNc = errorOf(sipCredentials.replace('nc=00000001', 'nc=1'));
    expect([badNc.code, badNc.parameter]).toEqual(['invalid_parameter', 'nc']);
    // A 32-digit response with algorithm=SHA-256 (RFC 8760 §2: 64 digits).
    const short = errorOf(sipCredentials.replace('algorithm=MD5', 'algorithm=SHA-256'));
    expect([short.code, short.parameter]).toEqual(['invalid_parameter', 'response']);
    const notHex = errorOf(sipCredentials.replace('644b1a2a', '644b1a2z'));
    expect(notHex.parameter).toBe('response');
    expect(errorOf(`${sipCredentials},Username="bob"`).code).toBe('duplicate_parameter');
    expect(errorOf('Basic YWxpY2U6czNjcmV0').code).toBe('unsupported_scheme');
  });

  it('rejects every truncation of a real value with a DigestError, never anything else', () => {
    // Cut before the response ends, a mandatory field is missing or unfinished; cut later,
    // the rest may still be a complete RFC 2069 value — but nothing but DigestError escapes.
    const responseEnd = sipCredentials.indexOf('",algorithm');
    for (let end = 0; end < sipCredentials.length; end += 1) {
      const run = () => parseDigestCredentials(sipCredentials.slice(0, end));
      if (end <= responseEnd) {
        expect(run).toThrow(DigestError);
      } else {
        try {
          run();
        } catch (error) {
          expect(error).toBeInstanceOf(DigestError);
        }
      }
    }
  });
});

describe('nonceCountValue', () => {
  it('reads 8 hex digits', () => {
    expect(nonceCountValue('00000001')).toBe(1);
    expect(nonceCountValue('0000000A')).toBe(10);
    expect(nonceCountValue('ffffffff')).toBe(0xffffffff);
    expect(() => nonceCountValue('0x000001')).toThrow(DigestError);
  });
});
