import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import {
  parseCSeq,
  parseContentLength,
  parseDate,
  parseExpires,
  parseMaxForwards,
  serializeCSeq,
  serializeDate,
} from './scalar-headers.ts';

describe('parseCSeq (RFC 3261 §20.16)', () => {
  it('reads the number and method, tolerating extra LWS', () => {
    expect(parseCSeq('4711 INVITE')).toEqual({ seq: 4711, method: 'INVITE' });
    expect(parseCSeq('0009 \t INVITE ')).toEqual({ seq: 9, method: 'INVITE' });
    expect(parseCSeq('4294967295 ACK').seq).toBe(4294967295);
    expect(serializeCSeq({ seq: 1, method: 'BYE' })).toBe('1 BYE');
  });

  it.each(['', 'INVITE', '1', '1INVITE', '-1 INVITE', '4294967296 INVITE', '1 IN VITE', '1 <x>'])(
    'refuses %j',
    (text) => {
      expect(() => parseCSeq(text)).toThrow(SipParseError);
    },
  );
});

describe('parseContentLength (RFC 3261 §20.14)', () => {
  it('reads digits', () => {
    expect(parseContentLength(' 150 ')).toBe(150);
    expect(parseContentLength('0')).toBe(0);
  });

  it.each(['-999', '', '1.5', 'abc', '99999999999999999999'])(
    'refuses %j with bad_content_length',
    (text) => {
      expect(() => parseContentLength(text)).toThrow(
        expect.objectContaining({ code: 'bad_content_length' }),
      );
    },
  );
});

describe('parseMaxForwards and parseExpires', () => {
  it('reads values in range', () => {
    expect(parseMaxForwards('0068')).toBe(68);
    expect(parseMaxForwards('255')).toBe(255);
    expect(parseExpires('3600')).toBe(3600);
    expect(parseExpires('4294967295')).toBe(4294967295);
  });

  it('refuses values out of range (RFC 4475 §3.1.2.4)', () => {
    expect(() => parseMaxForwards('300')).toThrow(SipParseError);
    expect(() => parseExpires('4294967296')).toThrow(SipParseError);
    expect(() => parseExpires('soon')).toThrow(SipParseError);
  });
});

describe('parseDate (RFC 3261 §20.17)', () => {
  it('reads an rfc1123 GMT date and writes it back', () => {
    const date = parseDate('Sat, 13 Nov 2010 23:29:00 GMT');
    expect(date.toISOString()).toBe('2010-11-13T23:29:00.000Z');
    expect(serializeDate(date)).toBe('Sat, 13 Nov 2010 23:29:00 GMT');
  });

  it.each([
    'Fri, 01 Jan 2010 16:00:00 EST',
    'Sat, 31 Feb 2010 10:00:00 GMT',
    'Xyz, 13 Nov 2010 23:29:00 GMT',
    'yesterday',
  ])('refuses %j', (text) => {
    expect(() => parseDate(text)).toThrow(SipParseError);
  });
});
