import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import { isRfc3261Branch, parseVia, serializeVia } from './via.ts';

describe('parseVia (RFC 3261 §20.42)', () => {
  it('reads sent-protocol, sent-by and the known parameters', () => {
    const via = parseVia(
      'SIP/2.0/UDP pc33.atlanta.com:5066;branch=z9hG4bK776asdhds;received=192.0.2.1',
    );
    expect(via).toMatchObject({
      protocolName: 'SIP',
      protocolVersion: '2.0',
      transport: 'UDP',
      host: 'pc33.atlanta.com',
      port: 5066,
      branch: 'z9hG4bK776asdhds',
      received: '192.0.2.1',
      rport: undefined,
    });
    expect(isRfc3261Branch(via)).toBe(true);
  });

  it('reads rport with and without a value (RFC 3581 §3, §4)', () => {
    expect(parseVia('SIP/2.0/UDP 10.0.0.1;rport;branch=z9hG4bKx').rport).toBe(true);
    expect(
      parseVia('SIP/2.0/UDP 10.0.0.1;received=192.0.2.4;rport=9988;branch=z9hG4bKx').rport,
    ).toBe(9988);
  });

  it('allows whitespace around "/", ";" and "=" (RFC 4475 §3.1.1.1)', () => {
    const via = parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;  branch  =   z9hG4bK9ikj8');
    expect([via.transport, via.host, via.branch]).toEqual([
      'TCP',
      'spindle.example.com',
      'z9hG4bK9ikj8',
    ]);
  });

  it('reads IPv6 sent-by and received', () => {
    const via = parseVia(
      'SIP/2.0/TCP [2001:db8::9:1]:5061;branch=z9hG4bKas3;received=2001:db8::9:255',
    );
    expect([via.host, via.port, via.received]).toEqual([
      '[2001:db8::9:1]',
      5061,
      '2001:db8::9:255',
    ]);
  });

  it('upper-cases the transport, keeps the branch as sent', () => {
    const via = parseVia('SIP/2.0/ws df7jal23ls0d.invalid;branch=Z9hG4bK56sdasks');
    expect(via.transport).toBe('WS');
    expect(isRfc3261Branch(via)).toBe(false);
  });

  it.each([
    '',
    'SIP/2.0 host',
    'SIP/2.0/UDP',
    'SIP/2.0/UDPhost',
    'SIP/2.0/UDP host:99999',
    'SIP/2.0/UDP 192.0.2.15;;',
    'SIP/2.0/UDP host;received=not-an-ip',
    'SIP/2.0/UDP host;rport=abc',
    'SIP/2.0/UDP host;branch',
    'SIP/2.0/UDP [::1',
    'SIP/2.0/UDP host junk',
  ])('refuses %j', (text) => {
    expect(() => parseVia(text)).toThrow(SipParseError);
  });

  it('round-trips', () => {
    const text = 'SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK1;rport;received=192.0.2.1';
    expect(serializeVia(parseVia(text))).toBe(text);
  });
});
