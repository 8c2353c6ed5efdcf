import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import { parseMessage } from './parser.ts';

// RFC 3261 §24.2, message F1 (Alice's INVITE), with its SDP body.
const sdp = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com',
  's=Session SDP',
  'c=IN IP4 pc33.atlanta.com',
  't=0 0',
  'm=audio 49172 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

function invite(
  extra: string[] = [],
  body = sdp,
  length: number | undefined = Buffer.byteLength(body),
): Buffer {
  const lines = [
    'INVITE sip:bob@biloxi.com SIP/2.0',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@biloxi.com>',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@pc33.atlanta.com>',
    'Content-Type: application/sdp',
    ...(length === undefined ? [] : [`Content-Length: ${length}`]),
    ...extra,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

// RFC 3261 §24.2, message F9 (Bob's 200 OK to the BYE).
const okToBye = Buffer.from(
  [
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds10;received=192.0.2.1',
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
    'Call-ID: a84b4c76e66710@pc33.atlanta.com',
    'CSeq: 231 BYE',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n'),
);

function errorOf(bytes: Buffer, maxMessageSize?: number): SipParseError {
  try {
    parseMessage(bytes, maxMessageSize === undefined ? {} : { maxMessageSize });
  } catch (error) {
    if (error instanceof SipParseError) return error;
    throw error;
  }
  throw new Error('expected a SipParseError');
}

describe('parseMessage (RFC 3261 §7, datagrams §18.3)', () => {
  it('parses a request with its body', () => {
    const message = parseMessage(invite());
    expect(message).toMatchObject({
      kind: 'request',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
      version: 'SIP/2.0',
    });
    expect(message.headers.get('call-id')).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(message.body.toString()).toBe(sdp);
  });

  it('parses a response', () => {
    const message = parseMessage(okToBye);
    expect(message).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
    expect(message.body.length).toBe(0);
  });

  it('takes the rest of the datagram as the body when Content-Length is absent', () => {
    expect(parseMessage(invite([], sdp, undefined)).body.toString()).toBe(sdp);
  });

  it('truncates the body to a shorter Content-Length', () => {
    expect(parseMessage(invite([], sdp, 3)).body.toString()).toBe('v=0');
  });

  it('refuses a Content-Length larger than the bytes received', () => {
    expect(errorOf(invite([], sdp, 500))).toMatchObject({
      code: 'bad_content_length',
      status: 400,
    });
  });

  it('ignores CRLFs before the start line (§7.5)', () => {
    expect(parseMessage(Buffer.concat([Buffer.from('\r\n\r\n'), okToBye])).kind).toBe('response');
  });

  it('unfolds continuation lines (§7.3.1)', () => {
    const message = parseMessage(
      invite(['Subject: I know you are there,', '\t pick up the phone']),
    );
    expect(message.headers.get('subject')).toBe('I know you are there, pick up the phone');
  });

  it('keeps header names as received and multiple occurrences in order', () => {
    const message = parseMessage(invite(['X-Foo: 1', 'x-FOO: 2']));
    expect(message.headers.getLines('X-Foo')).toEqual(['1', '2']);
    expect(message.headers.entries().at(-1)).toEqual({ name: 'x-FOO', value: '2' });
  });

  it('copies the body out of the receive buffer', () => {
    const bytes = invite();
    const message = parseMessage(bytes);
    bytes.fill(0);
    expect(message.body.toString()).toBe(sdp);
  });

  it.each([
    ['no blank line', Buffer.from('OPTIONS sip:a@b SIP/2.0\r\nVia: x'), 'bad_header'],
    ['an empty datagram', Buffer.alloc(0), 'bad_header'],
    ['a header line without colon', invite(['NoColonHere']), 'bad_header'],
    [
      'a continuation before any header',
      Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n folded\r\n\r\n'),
      'bad_header',
    ],
    ['a bare LF inside a header', invite(['X-A: 1\nX-B: 2']), 'bad_header'],
    [
      'a missing Call-ID',
      Buffer.from(
        invite()
          .toString()
          .replace(/Call-ID:.*\r\n/, ''),
      ),
      'missing_header',
    ],
    ['two Call-IDs', invite(['Call-ID: other']), 'bad_header'],
    ['conflicting Content-Lengths', invite(['l: 7']), 'bad_content_length'],
    ['a bad Via', invite(['Via: SIP/2.0/UDP']), 'bad_header'],
    ['a bad Contact expires', invite(['Contact: <sip:b@c>;expires=99999999999']), 'bad_header'],
    ['a bad Route', invite(['Route: sip:a@b?x=y']), 'bad_header'],
    [
      'a bad Call-ID',
      Buffer.from(invite().toString().replace('a84b4c76e66710@pc33', 'a b')),
      'bad_header',
    ],
  ])('refuses %s', (_label, bytes, code) => {
    expect(errorOf(bytes).code).toBe(code);
  });

  it('refuses invalid UTF-8 with bad_encoding', () => {
    const bytes = Buffer.concat([
      invite().subarray(0, 20),
      Buffer.from([0xff]),
      invite().subarray(20),
    ]);
    expect(errorOf(bytes).code).toBe('bad_encoding');
  });

  it('accepts Contact: * (§10.2.2)', () => {
    const bytes = Buffer.from(
      invite().toString().replace('Contact: <sip:alice@pc33.atlanta.com>', 'Contact: *'),
    );
    expect(parseMessage(bytes).headers.get('m')).toBe('*');
  });

  it('refuses a message over the size limit with 513', () => {
    expect(errorOf(invite(), 100)).toMatchObject({ code: 'too_large', status: 513 });
  });

  it('never throws anything but SipParseError on truncated input', () => {
    const bytes = invite();
    for (let length = 0; length < bytes.length; length += 1) {
      try {
        parseMessage(bytes.subarray(0, length));
      } catch (error) {
        expect(error).toBeInstanceOf(SipParseError);
      }
    }
  });
});
