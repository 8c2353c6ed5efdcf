import { describe, expect, it } from 'vitest';
import { SipParseError, parseMessage } from '../message/index.ts';
import { buildErrorResponse } from './error-response.ts';
import { optionsRequest } from './loopback-fixtures.ts';
import { type SipEndpoint } from './transport.ts';

const source: SipEndpoint = { transport: 'udp', address: '192.0.2.4', port: 5071 };
const badHeader = new SipParseError('bad_header', 'bad Call-ID: "x y"');

function build(text: string, error = badHeader): string | undefined {
  return buildErrorResponse({
    bytes: Buffer.from(text),
    error,
    source,
    toTag: 'fixedtag',
  })?.toString();
}

describe('buildErrorResponse', () => {
  it('answers with the mandatory headers copied, Via stamped, To tagged (RFC 3261 §8.2.6.2)', () => {
    const text = `\r\n${optionsRequest()}`.replace('Max-Forwards: 70', 'Max-Forwards: seventy');
    expect(build(text, new SipParseError('bad_header', 'bad Max-Forwards "seventy"'))).toBe(
      [
        'SIP/2.0 400 Bad Request (bad Max-Forwards seventy)',
        'Via: SIP/2.0/UDP pc33.atlanta.com;rport=5071;branch=z9hG4bKhjhs8ass877;received=192.0.2.4',
        'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
        'To: <sip:carol@chicago.com>;tag=fixedtag',
        'Call-ID: a84b4c76e66710',
        'CSeq: 63104 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('produces a response the parser accepts, with the status of the error', () => {
    const reply = build(optionsRequest(), new SipParseError('too_large', 'too big'));
    const parsed = parseMessage(Buffer.from(reply ?? ''));
    expect(parsed).toMatchObject({ kind: 'response', status: 513 });
  });

  it('copies every Via, unfolds continuation lines and reads compact forms', () => {
    const text = [
      'OPTIONS sip:carol@chicago.com SIP/2.0',
      'v: SIP/2.0/UDP 192.0.2.4:5071;branch=z9hG4bK1,',
      '  SIP/2.0/UDP proxy.example;branch=z9hG4bK2',
      't: <sip:carol@chicago.com>;tag=abc',
      'f: <sip:alice@atlanta.com>;tag=1',
      'i: a84b4c76e66710',
      'CSeq: 1 OPTIONS',
      '',
      '',
    ].join('\r\n');
    const reply = build(text) ?? '';
    expect(reply).toContain(
      'Via: SIP/2.0/UDP 192.0.2.4:5071;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP proxy.example;branch=z9hG4bK2\r\n',
    );
    expect(reply).toContain('To: <sip:carol@chicago.com>;tag=abc\r\n');
  });

  it('copies a Via it cannot parse as it came', () => {
    const text = optionsRequest().replace('SIP/2.0/UDP pc33', 'SIP/2.0/UDP  ;;pc33');
    expect(build(text)).toContain('Via: SIP/2.0/UDP  ;;pc33');
  });

  it('does not answer ACK, responses, garbage or requests missing a mandatory header', () => {
    expect(build(optionsRequest().replace(/OPTIONS/g, 'ACK'))).toBeUndefined();
    expect(
      build(optionsRequest().replace('OPTIONS sip:carol@chicago.com SIP/2.0', 'SIP/2.0 200 OK')),
    ).toBeUndefined();
    expect(build('\x00\x01garbage')).toBeUndefined();
    expect(build(optionsRequest().replace('Call-ID: a84b4c76e66710\r\n', ''))).toBeUndefined();
  });

  it('reads a head with no blank line, leaving out its cut-off last line', () => {
    const head = optionsRequest().replace('Content-Length: 0\r\n\r\n', 'Subject: aaaa');
    expect(build(head, new SipParseError('too_large', 'header section too large'))).toMatch(
      /^SIP\/2.0 513 Message Too Large/,
    );
  });
});
