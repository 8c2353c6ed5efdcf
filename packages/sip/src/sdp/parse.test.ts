import { describe, expect, it } from 'vitest';
import { SdpParseError, type SdpParseErrorReason } from './errors.ts';
import * as fixtures from './fixtures.ts';
import { parseSdp } from './parse.ts';
import { serializeSdp } from './serialize.ts';

describe('parseSdp on real bytes', () => {
  it('reads what baresip sends', () => {
    const sdp = parseSdp(fixtures.baresipOffer);
    expect(sdp.origin).toEqual({
      username: '-',
      sessionId: '3720204497',
      sessionVersion: 1962267912n,
      netType: 'IN',
      addrType: 'IP4',
      unicastAddress: '192.0.2.2',
    });
    expect(sdp.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '192.0.2.2' });
    expect(sdp.attributes).toEqual([{ kind: 'other', name: 'tool', value: 'baresip 1.0.0' }]);
    const [audio] = sdp.media;
    expect(audio).toMatchObject({ type: 'audio', port: 43528, protocol: 'RTP/AVP' });
    expect(audio?.formats).toEqual(['0', '8', '101']);
    expect(audio?.attributes.slice(0, 5)).toEqual([
      { kind: 'rtpmap', payloadType: 0, encodingName: 'PCMU', clockRate: 8000 },
      { kind: 'rtpmap', payloadType: 8, encodingName: 'PCMA', clockRate: 8000 },
      { kind: 'rtpmap', payloadType: 101, encodingName: 'telephone-event', clockRate: 8000 },
      { kind: 'fmtp', format: '101', parameters: '0-15' },
      { kind: 'direction', direction: 'sendrecv' },
    ]);
    expect(audio?.attributes).toContainEqual({
      kind: 'other',
      name: 'ssrc',
      value: '2371586657 cname:sip:alice@127.0.0.1',
    });
  });

  it('reads a desk phone offer with G.722, G.729 and ptime', () => {
    const [audio] = parseSdp(fixtures.deskPhoneOffer).media;
    expect(audio?.formats).toEqual(['9', '0', '8', '18', '101']);
    expect(audio?.attributes).toContainEqual({
      kind: 'fmtp',
      format: '18',
      parameters: 'annexb=no',
    });
    expect(audio?.attributes).toContainEqual({ kind: 'other', name: 'ptime', value: '20' });
  });

  it('reads a Chromium offer and keeps its ICE/DTLS lines verbatim and in order', () => {
    const sdp = parseSdp(fixtures.chromiumOffer);
    expect(sdp.origin.sessionId).toBe('2194093430189703251');
    expect(sdp.connection).toBeUndefined();
    expect(sdp.attributes).toContainEqual({ kind: 'other', name: 'msid-semantic', value: ' WMS' });
    const [audio] = sdp.media;
    expect(audio).toMatchObject({ port: 9, protocol: 'UDP/TLS/RTP/SAVPF' });
    expect(audio?.connection).toEqual({ netType: 'IN', addrType: 'IP4', address: '0.0.0.0' });
    const names = audio?.attributes.map((a) => (a.kind === 'other' ? a.name : a.kind));
    expect(names?.slice(0, 8)).toEqual([
      'rtcp',
      'candidate',
      'ice-ufrag',
      'ice-pwd',
      'ice-options',
      'fingerprint',
      'setup',
      'mid',
    ]);
    expect(audio?.attributes).toContainEqual({
      kind: 'rtpmap',
      payloadType: 111,
      encodingName: 'opus',
      clockRate: 48000,
      encodingParameters: 2,
    });
    expect(audio?.attributes).toContainEqual({ kind: 'other', name: 'rtcp-mux' });
  });

  it('reads every field of the RFC 8866 §5 example, IPv6 media c= included', () => {
    const sdp = parseSdp(fixtures.rfc8866Example);
    expect(sdp).toMatchObject({
      sessionName: 'Call to John Smith',
      information: 'SDP Offer #1',
      uri: 'http://www.jdoe.example.com/home.html',
      emails: ['Jane Doe <jane@jdoe.example.com>'],
      phones: ['+1 617 555-6011'],
      timing: [{ start: 0, stop: 0, repeats: [] }],
    });
    expect(sdp.media.map((m) => m.port)).toEqual([49170, 49180, 51372]);
    expect(sdp.media[2]?.connection).toEqual({
      netType: 'IN',
      addrType: 'IP6',
      address: '2001:db8::2',
    });
  });

  it('keeps the empty s= of RFC 3264 §10 and a session with no m= line (RFC 4317 §5.1)', () => {
    expect(parseSdp(fixtures.rfc3264BasicOffer).sessionName).toBe('');
    expect(parseSdp(fixtures.rfc4317NoMediaOffer).media).toEqual([]);
  });

  it('reads multicast c=, b=, r=, z=, k= and a port count', () => {
    const text =
      'v=0\r\no=- 1 1 IN IP4 198.51.100.1\r\ns=Seminar\r\nc=IN IP4 233.252.0.1/127/3\r\n' +
      'b=CT:128\r\nt=3724394400 3724398000\r\nr=7d 1h 0 25h\r\nz=3730928400 -1h 3749680800 0\r\n' +
      'k=prompt\r\nm=video 49170/2 RTP/AVP 31\r\ni=slides\r\nb=AS:64\r\nk=prompt\r\n';
    const sdp = parseSdp(text);
    expect(sdp.connection).toEqual({
      netType: 'IN',
      addrType: 'IP4',
      address: '233.252.0.1',
      ttl: 127,
      addressCount: 3,
    });
    expect(sdp.timing).toEqual([{ start: 3724394400, stop: 3724398000, repeats: ['7d 1h 0 25h'] }]);
    expect(sdp.media[0]).toMatchObject({ port: 49170, portCount: 2, title: 'slides' });
    expect(serializeSdp(sdp)).toBe(text);
  });
});

describe('round trip', () => {
  for (const [name, text] of Object.entries(fixtures)) {
    it(`serialize(parse(${name})) gives back the same bytes, and parse(serialize(x)) is x`, () => {
      const sdp = parseSdp(text);
      expect(serializeSdp(sdp)).toBe(text);
      expect(parseSdp(serializeSdp(sdp))).toEqual(sdp);
    });
  }

  it('accepts LF-only line ends, a Buffer, and no final line end; writes CRLF', () => {
    const lf = fixtures.baresipOffer.replaceAll('\r\n', '\n');
    expect(serializeSdp(parseSdp(lf))).toBe(fixtures.baresipOffer);
    expect(serializeSdp(parseSdp(Buffer.from(fixtures.deskPhoneOffer)))).toBe(
      fixtures.deskPhoneOffer,
    );
    expect(serializeSdp(parseSdp(fixtures.deskPhoneOffer.trimEnd()))).toBe(fixtures.deskPhoneOffer);
  });

  it('writes session-level lines in RFC 8866 §5 order even when they came out of order', () => {
    // RFC 3264 §9 (erratum 2099) put c= after t=.
    const text =
      'v=0\r\no=carol 28908764872 28908764872 IN IP4 100.3.6.6\r\ns=-\r\nt=0 0\r\nc=IN IP4 192.0.2.4\r\nm=audio 0 RTP/AVP 0 1 3\r\n';
    expect(serializeSdp(parseSdp(text))).toBe(
      'v=0\r\no=carol 28908764872 28908764872 IN IP4 100.3.6.6\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 0 RTP/AVP 0 1 3\r\n',
    );
  });
});

describe('malformed SDP is an SdpParseError naming the line', () => {
  const head = 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n';
  const cases: [string, string, SdpParseErrorReason, number][] = [
    ['empty body', '', 'empty', 1],
    ['only blank lines', '\r\n\r\n', 'empty', 1],
    ['missing v=', 'o=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n', 'missing_version', 1],
    ['v=1', 'v=1\r\n', 'unsupported_version', 1],
    [
      'a line without =',
      `${head}m=audio 4000 RTP/AVP 0\r\nrtpmap 0 PCMU\r\n`,
      'line_without_equals',
      6,
    ],
    ['an unknown type letter', `${head}x=1\r\n`, 'unknown_line_type', 5],
    ['a two-letter type', `${head}ab=1\r\n`, 'unknown_line_type', 5],
    [
      'a blank line in the middle',
      `v=0\r\n\r\no=- 1 1 IN IP4 192.0.2.1\r\n`,
      'line_without_equals',
      2,
    ],
    [
      'o= with five fields',
      'v=0\r\no=- 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n',
      'malformed_origin',
      2,
    ],
    [
      'o= with a word for a version',
      'v=0\r\no=- 1 two IN IP4 h\r\ns=-\r\nt=0 0\r\n',
      'malformed_origin',
      2,
    ],
    ['truncated after o=', 'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n', 'missing_line', 3],
    [
      'no t=',
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nm=audio 4000 RTP/AVP 0\r\n',
      'missing_line',
      4,
    ],
    ['truncated o=', 'v=0\r\no=- 3720204497 19622', 'malformed_origin', 2],
    ['two s= lines', `${head}s=again\r\n`, 'duplicate_line', 5],
    ['s= after m=', `${head}m=audio 4000 RTP/AVP 0\r\ns=-\r\n`, 'misplaced_line', 6],
    ['r= before t=', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nr=7d 1h 0\r\n', 'misplaced_line', 4],
    ['c= with two fields', `${head}c=IN IP4\r\n`, 'malformed_connection', 5],
    ['c= TTL that is not a number', `${head}c=IN IP4 233.252.0.1/x\r\n`, 'malformed_connection', 5],
    ['b= without a colon', `${head}b=AS64\r\n`, 'malformed_bandwidth', 5],
    ['t= with a word', 'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=now 0\r\n', 'malformed_timing', 4],
    ['m= without formats', `${head}m=audio 4000 RTP/AVP\r\n`, 'malformed_media', 5],
    ['m= with a non-numeric port', `${head}m=audio port RTP/AVP 0\r\n`, 'malformed_media', 5],
    ['m= with port 70000', `${head}m=audio 70000 RTP/AVP 0\r\n`, 'malformed_media', 5],
    [
      'RTP m= with a word for a format',
      `${head}m=audio 4000 RTP/AVP PCMU\r\n`,
      'malformed_media',
      5,
    ],
    ['RTP m= with payload type 128', `${head}m=audio 4000 RTP/AVP 128\r\n`, 'malformed_media', 5],
    [
      'truncated rtpmap',
      `${head}m=audio 4000 RTP/AVP 0\r\na=rtpmap:0\r\n`,
      'malformed_attribute',
      6,
    ],
    [
      'rtpmap without a clock rate',
      `${head}m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n`,
      'malformed_attribute',
      6,
    ],
    [
      'fmtp without parameters',
      `${head}m=audio 4000 RTP/AVP 101\r\na=fmtp:101\r\n`,
      'malformed_attribute',
      6,
    ],
    ['an attribute with an empty name', `${head}a=:x\r\n`, 'malformed_attribute', 5],
  ];
  for (const [title, text, reason, line] of cases) {
    it(`rejects ${title}`, () => {
      let caught: unknown;
      try {
        parseSdp(text);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SdpParseError);
      expect(caught).toMatchObject({ reason, line });
      expect((caught as SdpParseError).message).toMatch(new RegExp(`^SDP line ${line}: `));
    });
  }

  it('accepts a non-RTP m= line with word formats (T.38 over UDPTL, RFC 3362)', () => {
    const sdp = parseSdp(`${head}m=image 4002 udptl t38\r\n`);
    expect(sdp.media[0]?.formats).toEqual(['t38']);
  });
});
