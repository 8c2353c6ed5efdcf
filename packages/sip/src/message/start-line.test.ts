import { describe, expect, it } from 'vitest';
import { SipParseError } from './parse-error.ts';
import { parseStartLine, serializeStartLine } from './start-line.ts';

describe('parseStartLine (RFC 3261 §7.1, §7.2)', () => {
  it('reads a Request-Line', () => {
    expect(parseStartLine('INVITE sip:bob@biloxi.com SIP/2.0')).toEqual({
      kind: 'request',
      method: 'INVITE',
      uri: 'sip:bob@biloxi.com',
      version: 'SIP/2.0',
    });
  });

  it('reads a Status-Line, with an empty or spaced reason phrase', () => {
    expect(parseStartLine('SIP/2.0 180 Ringing')).toEqual({
      kind: 'response',
      version: 'SIP/2.0',
      status: 180,
      reason: 'Ringing',
    });
    expect(parseStartLine('SIP/2.0 100 ')).toMatchObject({ status: 100, reason: '' });
    expect(parseStartLine('SIP/2.0 100')).toMatchObject({ status: 100, reason: '' });
    expect(parseStartLine('sip/2.0 486 Busy  Here')).toMatchObject({
      version: 'SIP/2.0',
      reason: 'Busy  Here',
    });
  });

  it('answers another version with 505', () => {
    expect(() => parseStartLine('OPTIONS sip:a@b SIP/7.0')).toThrow(
      expect.objectContaining({ code: 'bad_version', status: 505 }),
    );
    expect(() => parseStartLine('SIP/3.0 200 OK')).toThrow(
      expect.objectContaining({ status: 505 }),
    );
  });

  it.each([
    '',
    'INVITE',
    'INVITE sip:a@b',
    'INVITE  sip:a@b SIP/2.0',
    'INVITE sip:a@b SIP/2.0 ',
    'IN<VITE sip:a@b SIP/2.0',
    'INVITE <sip:a@b> SIP/2.0',
    'INVITE sip:a@b HTTP/1.1',
    'SIP/2.0 4294967301 big',
    'SIP/2.0 099 Low',
    'SIP/2.0 700 High',
    'SIP/2.0 20 OK',
    'SIP/2.0 200 O\x01K',
  ])('refuses %j with 400', (line) => {
    expect(() => parseStartLine(line)).toThrow(SipParseError);
    expect(() => parseStartLine(line)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('round-trips', () => {
    for (const line of ['BYE sip:a@b;lr SIP/2.0', 'SIP/2.0 200 OK']) {
      expect(serializeStartLine(parseStartLine(line))).toBe(line);
    }
  });
});
