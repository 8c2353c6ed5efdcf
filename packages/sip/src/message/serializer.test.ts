import { describe, expect, it } from 'vitest';
import { SipHeaders } from './headers.ts';
import { type SipRequest } from './message.ts';
import { parseMessage } from './parser.ts';
import { serializeMessage } from './serializer.ts';

// RFC 3261 §24.2, message F2 (100 Trying), as it goes on the wire.
const trying = [
  'SIP/2.0 100 Trying',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('serializeMessage (RFC 3261 §7)', () => {
  it('writes a parsed message back byte for byte', () => {
    const bytes = Buffer.from(trying);
    expect(serializeMessage(parseMessage(bytes))).toEqual(bytes);
  });

  it('writes Content-Length from the body, in place, dropping duplicates', () => {
    const request: SipRequest = {
      kind: 'request',
      method: 'MESSAGE',
      uri: 'sip:bob@biloxi.com',
      version: 'SIP/2.0',
      headers: new SipHeaders([
        { name: 'Via', value: 'SIP/2.0/TCP a.example.com;branch=z9hG4bK1' },
        { name: 'l', value: '999' },
        { name: 'To', value: '<sip:bob@biloxi.com>' },
        { name: 'Content-Length', value: '1' },
      ]),
      body: Buffer.from('héllo'),
    };
    expect(serializeMessage(request).toString()).toBe(
      'MESSAGE sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a.example.com;branch=z9hG4bK1\r\nl: 6\r\nTo: <sip:bob@biloxi.com>\r\n\r\nhéllo',
    );
  });

  it('appends Content-Length when there was none and keeps binary bodies intact', () => {
    const body = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a]);
    const message = parseMessage(Buffer.from(trying.replace('Content-Length: 0\r\n', '')));
    const bytes = serializeMessage({ ...message, body });
    expect(bytes.toString('latin1')).toContain('\r\nContent-Length: 6\r\n\r\n');
    const again = parseMessage(bytes);
    expect(again.body).toEqual(body);
    expect(again.headers.entries().slice(0, -1)).toEqual(message.headers.entries());
  });
});
