import { describe, expect, it } from 'vitest';
import { parseNameAddr, serializeNameAddr } from './name-addr.ts';
import { getParam } from './params.ts';
import { SipParseError } from './parse-error.ts';
import { serializeUri } from './uri.ts';

describe('parseNameAddr (RFC 3261 §20.10, §25.1)', () => {
  it('reads a quoted display name with escapes, the URI and header parameters', () => {
    const value = parseNameAddr('"A. G. \\"Bell\\"" <sip:agb@bell-telephone.com> ;tag=a48s');
    expect(value.displayName).toBe('A. G. "Bell"');
    expect(serializeUri(value.uri)).toBe('sip:agb@bell-telephone.com');
    expect(getParam(value.params, 'tag')).toBe('a48s');
  });

  it('reads token display names, joining words with one space', () => {
    expect(parseNameAddr('Bob   Smith <sip:bob@biloxi.com>').displayName).toBe('Bob Smith');
    expect(parseNameAddr('<sip:bob@biloxi.com>').displayName).toBeUndefined();
  });

  it('gives URI parameters of an addr-spec to the header (§20.10)', () => {
    const value = parseNameAddr('sip:alice@atlanta.com;tag=1928301774');
    expect(serializeUri(value.uri)).toBe('sip:alice@atlanta.com');
    expect(value.params).toEqual([{ name: 'tag', value: '1928301774' }]);
    const bracketed = parseNameAddr('<sip:alice@atlanta.com;transport=tcp>;expires=60;q=0.7');
    expect(serializeUri(bracketed.uri)).toBe('sip:alice@atlanta.com;transport=tcp');
    expect(bracketed.params).toEqual([
      { name: 'expires', value: '60' },
      { name: 'q', value: '0.7' },
    ]);
  });

  it('keeps quoted parameter values with their quotes', () => {
    const value = parseNameAddr(
      '<sip:a@b>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
    );
    expect(getParam(value.params, '+sip.instance')).toBe(
      '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
    );
  });

  it('accepts other URI schemes', () => {
    expect(parseNameAddr('<tel:+1-201-555-0123>').uri.kind).toBe('tel');
  });

  it.each([
    ['"unterminated <sip:a@b>', 'bad_header'],
    ['Bell, Alexander <sip:a.g.bell@example.com>', 'bad_header'],
    ['< sip:t.watson@example.org >', 'bad_uri'],
    ['<sip:a@b', 'bad_header'],
    ['<sip:a@b> junk', 'bad_header'],
    ['<sip:a@b>;', 'bad_header'],
    ['sip:a@b?Route=x', 'bad_header'],
    ['', 'bad_uri'],
  ])('refuses %j with %s', (text, code) => {
    expect(() => parseNameAddr(text)).toThrow(SipParseError);
    expect(() => parseNameAddr(text)).toThrow(expect.objectContaining({ code }));
  });
});

describe('serializeNameAddr', () => {
  it('writes the name-addr form, quoting display names that are not tokens', () => {
    expect(serializeNameAddr(parseNameAddr('sip:alice@atlanta.com;tag=1'))).toBe(
      '<sip:alice@atlanta.com>;tag=1',
    );
    expect(serializeNameAddr(parseNameAddr('Bob <sip:bob@biloxi.com>'))).toBe(
      'Bob <sip:bob@biloxi.com>',
    );
    expect(serializeNameAddr(parseNameAddr('"A \\"B\\", C" <sip:x@y>'))).toBe(
      '"A \\"B\\", C" <sip:x@y>',
    );
  });

  it('round-trips through parse', () => {
    const text =
      '"Quoted string \\"\\"" <sip:jdrosen@example.com>;newparam=newvalue;secondparam;q=0.33';
    expect(serializeNameAddr(parseNameAddr(text))).toBe(text);
  });
});
