import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import {
  getUriParam,
  hasUriParam,
  parseRequestUri,
  parseSipUri,
  parseUri,
  serializeUri,
} from './uri.ts';

describe('parseSipUri (RFC 3261 §19.1)', () => {
  it('reads every component of a full SIP URI (§19.1.3 examples)', () => {
    expect(parseSipUri('sip:alice:secretword@atlanta.com;transport=tcp')).toEqual({
      kind: 'sip',
      scheme: 'sip',
      user: 'alice',
      password: 'secretword',
      host: 'atlanta.com',
      port: undefined,
      params: [{ name: 'transport', value: 'tcp' }],
      headers: [],
    });
    const uri = parseSipUri('sips:alice@atlanta.com?subject=project%20x&priority=urgent');
    expect(uri.scheme).toBe('sips');
    expect(uri.headers).toEqual([
      { name: 'subject', value: 'project x' },
      { name: 'priority', value: 'urgent' },
    ]);
  });

  it('reads telephone-subscriber users, ports and flag parameters', () => {
    const uri = parseSipUri('sip:+1-212-555-1212:1234@gateway.com;user=phone');
    expect(uri.user).toBe('+1-212-555-1212');
    expect(uri.password).toBe('1234');
    expect(getUriParam(uri, 'USER')).toBe('phone');
    const lr = parseSipUri('sip:proxy.example.com:5070;lr');
    expect(lr.port).toBe(5070);
    expect(hasUriParam(lr, 'lr')).toBe(true);
    expect(getUriParam(lr, 'lr')).toBeUndefined();
  });

  it('reads IPv6 references, with and without a port (RFC 5118 style)', () => {
    expect(parseSipUri('sip:[2001:db8::10]:5070').host).toBe('[2001:db8::10]');
    expect(parseSipUri('sip:[2001:db8::10]:5070').port).toBe(5070);
    expect(parseSipUri('sip:alice@[::1];transport=tcp').host).toBe('[::1]');
  });

  it('unescapes user, parameters and headers', () => {
    const uri = parseSipUri('sip:%61lice@atlanta.com;n%61me=v%61lue?h%65=v%20x');
    expect(uri.user).toBe('alice');
    expect(uri.params).toEqual([{ name: 'name', value: 'value' }]);
    expect(uri.headers).toEqual([{ name: 'he', value: 'v x' }]);
  });

  it.each([
    'sip:',
    'sip:alice@',
    'sip:alice@host:99999',
    'sip:alice@host:port',
    'sip:[::zz]',
    'sip:[::1',
    'sip:al ice@host',
    'sip:alice@ho st',
    'sip:alice@host;a b',
    'sip:alice@host?noequals',
    'sip:alice@host junk',
    'sip:%zz@host',
    'sip:alice@-host',
  ])('refuses %j with bad_uri', (text) => {
    expect(() => parseSipUri(text)).toThrow(SipParseError);
    expect(() => parseSipUri(text)).toThrow(
      expect.objectContaining({ code: 'bad_uri', status: 400 }),
    );
  });
});

describe('parseUri', () => {
  it('dispatches on scheme, case-insensitively', () => {
    expect(parseUri('SIP:alice@example.com').kind).toBe('sip');
    expect(parseUri('tel:+1-201-555-0123').kind).toBe('tel');
    expect(parseUri('mailto:alice@example.com')).toEqual({
      kind: 'absolute',
      scheme: 'mailto',
      opaque: 'alice@example.com',
    });
  });

  it('refuses text without a scheme or with characters no URI has', () => {
    expect(() => parseUri('<sip:alice@example.com>')).toThrow(SipParseError);
    expect(() => parseUri('alice@example.com')).toThrow(SipParseError);
    expect(() => parseUri('urn:a b')).toThrow(SipParseError);
  });
});

describe('parseRequestUri', () => {
  it('refuses headers in a Request-URI (§19.1.1, RFC 4475 §3.1.2.11)', () => {
    expect(() => parseRequestUri('sip:user@example.com?Route=%3Csip:example.com%3E')).toThrow(
      SipParseError,
    );
    expect(parseRequestUri('sip:user@example.com').kind).toBe('sip');
  });
});

describe('serializeUri', () => {
  it.each([
    'sip:alice:secretword@atlanta.com;transport=tcp',
    'sips:alice@atlanta.com?subject=project%20x&priority=urgent',
    'sip:+1-212-555-1212:1234@gateway.com;user=phone',
    'sip:[2001:db8::10]:5070;lr',
    'sip:user;par=u%40example.net@example.com',
    'tel:+1-201-555-0123;ext=1234',
    'urn:service:sos',
  ])('round-trips %s', (text) => {
    expect(serializeUri(parseUri(text))).toBe(text);
  });

  it('escapes what the grammar does not allow bare', () => {
    const uri = parseSipUri('sip:I%20have%20spaces@example.net');
    expect(serializeUri(uri)).toBe('sip:I%20have%20spaces@example.net');
    expect(serializeUri({ ...uri, user: 'a@b' })).toBe('sip:a%40b@example.net');
  });
});
