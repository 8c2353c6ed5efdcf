import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import { parseTelUri, serializeTelUri } from './tel-uri.ts';

describe('parseTelUri (RFC 3966)', () => {
  it('reads global numbers with visual separators and parameters (§6 examples)', () => {
    expect(parseTelUri('tel:+1-201-555-0123')).toEqual({
      kind: 'tel',
      number: '+1-201-555-0123',
      params: [],
    });
    expect(parseTelUri('tel:7042;phone-context=example.com').params).toEqual([
      { name: 'phone-context', value: 'example.com' },
    ]);
    expect(parseTelUri('tel:863-1234;phone-context=+1-914-555').number).toBe('863-1234');
  });

  it.each(['tel:', 'tel:+', 'tel:7042', 'tel:+1 201', 'tel:+1;a b', 'sip:+1'])(
    'refuses %j',
    (text) => {
      expect(() => parseTelUri(text)).toThrow(SipParseError);
    },
  );

  it('round-trips', () => {
    const text = 'tel:+1-201-555-0123;ext=22';
    expect(serializeTelUri(parseTelUri(text))).toBe(text);
  });
});
