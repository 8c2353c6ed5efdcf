import { describe, expect, it } from 'vitest';
import { type FramerEvent, SipStreamFramer } from './stream-framer.ts';

function message(callId: string, body = ''): Buffer {
  return Buffer.from(
    [
      'OPTIONS sip:bob@biloxi.com SIP/2.0',
      'Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK1',
      'To: <sip:bob@biloxi.com>',
      'From: <sip:alice@atlanta.com>;tag=1',
      `Call-ID: ${callId}`,
      'CSeq: 1 OPTIONS',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n'),
  );
}

function summary(events: FramerEvent[]): string[] {
  return events.map((event) => {
    if (event.type === 'message') return `message ${event.message.headers.get('call-id') ?? ''}`;
    if (event.type === 'error') return `error ${event.error.code}${event.fatal ? ' fatal' : ''}`;
    return event.type;
  });
}

describe('SipStreamFramer (RFC 3261 §18.3)', () => {
  it('cuts pipelined messages with bodies, whatever the chunking', () => {
    const stream = Buffer.concat([message('a', 'hello'), message('b'), message('c', 'x\r\n\r\ny')]);
    for (const size of [1, 2, 7, 64, stream.length]) {
      const framer = new SipStreamFramer();
      const events: FramerEvent[] = [];
      for (let i = 0; i < stream.length; i += size)
        events.push(...framer.push(stream.subarray(i, i + size)));
      expect(summary(events)).toEqual(['message a', 'message b', 'message c']);
    }
  });

  it('hands out the message bytes and the body', () => {
    const framer = new SipStreamFramer();
    const [event] = framer.push(message('a', 'hello'));
    expect(event?.type === 'message' && event.message.body.toString()).toBe('hello');
    expect(event?.type === 'message' && event.bytes).toEqual(message('a', 'hello'));
  });

  it('reports CRLFCRLF pings and CRLF pongs between messages (RFC 5626 §3.5.1)', () => {
    const framer = new SipStreamFramer();
    expect(summary(framer.push(Buffer.from('\r\n\r\n')))).toEqual(['ping']);
    expect(
      summary(
        framer.push(Buffer.concat([Buffer.from('\r\n'), message('a'), Buffer.from('\r\n\r\n')])),
      ),
    ).toEqual(['pong', 'message a', 'ping']);
    expect(summary(framer.push(Buffer.from('\r\n')))).toEqual(['pong']);
  });

  it('reports a ping split across chunks as a pong then a ping', () => {
    const framer = new SipStreamFramer();
    expect(summary(framer.push(Buffer.from('\r\n')))).toEqual(['pong']);
    expect(summary(framer.push(Buffer.from('\r\n')))).toEqual(['ping']);
    expect(summary(framer.push(Buffer.from('\r')))).toEqual([]);
    expect(summary(framer.push(Buffer.from('\n\r')))).toEqual([]);
    expect(summary(framer.push(Buffer.from('\n')))).toEqual(['ping']);
  });

  it('skips a malformed message whose length is known and carries on', () => {
    const broken = Buffer.from(
      message('bad', 'body').toString().replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE'),
    );
    const badStart = Buffer.from(
      message('x', 'abc').toString().replace('OPTIONS sip', 'OPTIONS  sip'),
    );
    const framer = new SipStreamFramer();
    expect(summary(framer.push(Buffer.concat([broken, badStart, message('good')])))).toEqual([
      'error bad_header',
      'error bad_start_line',
      'message good',
    ]);
    expect(framer.closed).toBe(false);
  });

  it('closes when Content-Length is missing: the framing is lost', () => {
    const framer = new SipStreamFramer();
    const noLength = Buffer.from(message('a').toString().replace('Content-Length: 0\r\n', ''));
    expect(summary(framer.push(Buffer.concat([noLength, message('b')])))).toEqual([
      'error bad_content_length fatal',
    ]);
    expect(framer.closed).toBe(true);
    expect(framer.push(message('c'))).toEqual([]);
  });

  it('closes on a negative Content-Length', () => {
    const framer = new SipStreamFramer();
    const negative = Buffer.from(
      message('a').toString().replace('Content-Length: 0', 'Content-Length: -999'),
    );
    expect(summary(framer.push(negative))).toEqual(['error bad_content_length fatal']);
  });

  it('refuses a message over the limit with 513 and closes, without waiting for its body', () => {
    const framer = new SipStreamFramer({ maxMessageSize: 1000 });
    const events = framer.push(message('a', 'x'.repeat(2000)).subarray(0, 300));
    expect(summary(events)).toEqual(['error too_large fatal']);
    expect(events[0]?.type === 'error' && events[0].error.status).toBe(513);
  });

  it('does not buffer an endless header section', () => {
    const framer = new SipStreamFramer({ maxMessageSize: 1000 });
    const events: FramerEvent[] = [];
    for (let i = 0; i < 100 && !framer.closed; i += 1)
      events.push(...framer.push(Buffer.from('X-Junk: aaaaaaaa\r\n')));
    expect(summary(events)).toEqual(['error too_large fatal']);
  });

  it('waits, without error, for a message that has not fully arrived', () => {
    const framer = new SipStreamFramer();
    const bytes = message('a', 'hello');
    expect(framer.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(summary(framer.push(bytes.subarray(bytes.length - 1)))).toEqual(['message a']);
  });
});
