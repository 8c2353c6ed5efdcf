import { describe, expect, it } from 'vitest';
import { formatAuthParams, parseAuthParams } from './auth-params.ts';
import { DigestError } from './digest-error.ts';

function errorOf(run: () => unknown): DigestError {
  try {
    run();
  } catch (error) {
    if (error instanceof DigestError) return error;
    throw error;
  }
  throw new Error('expected a DigestError');
}

describe('parseAuthParams', () => {
  it('reads tokens and quoted-strings with case-insensitive names', () => {
    const parsed = parseAuthParams('Digest REALM="atlanta.com", Algorithm=MD5,qop="auth"');
    expect(parsed.scheme).toBe('Digest');
    expect([...parsed.params.values()]).toEqual([
      { name: 'realm', value: 'atlanta.com', quoted: true },
      { name: 'algorithm', value: 'MD5', quoted: false },
      { name: 'qop', value: 'auth', quoted: true },
    ]);
  });

  it('resolves quoted-pairs and keeps commas and = inside quotes', () => {
    const parsed = parseAuthParams('Digest username="a\\"b\\\\c, d=e"');
    expect(parsed.params.get('username')?.value).toBe('a"b\\c, d=e');
  });

  it('accepts whitespace around = and , and a folded line (RFC 3261 §7.3.1)', () => {
    const parsed = parseAuthParams('Digest  realm = "x" ,\r\n  nonce\t=\t"y"  ');
    expect(parsed.params.get('realm')?.value).toBe('x');
    expect(parsed.params.get('nonce')?.value).toBe('y');
  });

  it('keeps UTF-8 text inside quotes', () => {
    expect(parseAuthParams('Digest username="Jäsøn Doe"').params.get('username')?.value).toBe(
      'Jäsøn Doe',
    );
  });

  it.each([
    ['Digest', 'no parameters'],
    ['Digest realm', 'no ='],
    ['Digest realm=', 'no value'],
    ['Digest realm="open', 'unterminated quote'],
    ['Digest realm="a\\', 'backslash at the end'],
    ['Digest realm="a"b', 'garbage after a quoted-string'],
    ['Digest realm="a",', 'trailing comma'],
    ['Digest realm="a",,nonce="b"', 'empty element'],
    ['Digest realm="a\u0000b"', 'control character'],
    ['Digest realm="a\rb"', 'bare CR'],
    ['Digest realm="a\\\nb"', 'escaped LF'],
    ['Digestrealm="a"', 'no space after the scheme'],
    ['Digest re{alm="a"', 'bad token'],
    ['', 'empty value'],
  ])('rejects %j (%s) as malformed with an offset', (value) => {
    const error = errorOf(() => parseAuthParams(value));
    expect(error.code).toBe('malformed');
    expect(typeof error.offset).toBe('number');
    expect(error.status).toBe(400);
  });

  it('rejects a duplicated parameter, whatever its case', () => {
    const error = errorOf(() => parseAuthParams('Digest nonce="a", NONCE="b"'));
    expect(error.code).toBe('duplicate_parameter');
    expect(error.parameter).toBe('nonce');
  });

  it('refuses another scheme before reading its parameters', () => {
    const error = errorOf(() => parseAuthParams('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', 'Digest'));
    expect(error.code).toBe('unsupported_scheme');
    expect(parseAuthParams('dIgEsT a=b', 'Digest').scheme).toBe('dIgEsT');
  });
});

describe('formatAuthParams', () => {
  it('escapes quotes and backslashes and round-trips', () => {
    const value = formatAuthParams('Digest', [
      { name: 'username', value: 'a"b\\c', quoted: true },
      { name: 'algorithm', value: 'SHA-256', quoted: false },
    ]);
    expect(value).toBe('Digest username="a\\"b\\\\c", algorithm=SHA-256');
    expect(parseAuthParams(value).params.get('username')?.value).toBe('a"b\\c');
  });

  it('refuses values that would break the header (header injection)', () => {
    const quoted = errorOf(() =>
      formatAuthParams('Digest', [{ name: 'realm', value: 'a\r\nVia: x', quoted: true }]),
    );
    expect(quoted.code).toBe('unencodable_value');
    expect(quoted.parameter).toBe('realm');
    const token = errorOf(() =>
      formatAuthParams('Digest', [{ name: 'algorithm', value: 'MD5 x', quoted: false }]),
    );
    expect(token.code).toBe('unencodable_value');
  });
});
