import { describe, expect, it } from 'vitest';
import { parseAttribute, parseFmtpParameters, serializeAttribute } from './attributes.ts';
import { PCMU, resolveFormat, sameCodec } from './codecs.ts';
import { parseSdp } from './parse.ts';

describe('attributes', () => {
  const samples: [string, unknown][] = [
    [
      'rtpmap:111 opus/48000/2',
      {
        kind: 'rtpmap',
        payloadType: 111,
        encodingName: 'opus',
        clockRate: 48000,
        encodingParameters: 2,
      },
    ],
    [
      'fmtp:111 minptime=10;useinbandfec=1',
      { kind: 'fmtp', format: '111', parameters: 'minptime=10;useinbandfec=1' },
    ],
    ['inactive', { kind: 'direction', direction: 'inactive' }],
    ['rtcp-mux', { kind: 'other', name: 'rtcp-mux' }],
    [
      'candidate:1 1 udp 2113937151 192.0.2.9 55517 typ host',
      { kind: 'other', name: 'candidate', value: '1 1 udp 2113937151 192.0.2.9 55517 typ host' },
    ],
    [
      'fingerprint:sha-256 62:BA:B1',
      { kind: 'other', name: 'fingerprint', value: 'sha-256 62:BA:B1' },
    ],
    ['x-empty:', { kind: 'other', name: 'x-empty', value: '' }],
  ];
  for (const [text, parsed] of samples) {
    it(`parses and writes back a=${text}`, () => {
      const attribute = parseAttribute(text, 1);
      expect(attribute).toEqual(parsed);
      expect(serializeAttribute(attribute)).toBe(text);
    });
  }

  it('rejects an rtpmap payload type above 127', () => {
    expect(() => parseAttribute('rtpmap:200 PCMU/8000', 7)).toThrow(/line 7/);
  });

  it('splits fmtp parameters, lower-casing names', () => {
    expect(parseFmtpParameters('minptime=10; useinbandfec=1')).toEqual(
      new Map([
        ['minptime', '10'],
        ['useinbandfec', '1'],
      ]),
    );
    expect(parseFmtpParameters('0-16')).toEqual(new Map([['0-16', '']]));
    expect(parseFmtpParameters('annexb=no')).toEqual(new Map([['annexb', 'no']]));
  });
});

describe('codecs', () => {
  const media = parseSdp(
    'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 18 96 97\r\na=rtpmap:96 pcmu/8000\r\na=fmtp:18 annexb=no\r\n',
  ).media[0];

  it('resolves static types without rtpmap (RFC 3551 §6) and rtpmap names case-insensitively', () => {
    if (!media) throw new Error('no m= line');
    expect(resolveFormat(media, '0')).toEqual({
      encodingName: 'PCMU',
      clockRate: 8000,
      channels: 1,
      payloadType: 0,
    });
    expect(resolveFormat(media, '18')).toMatchObject({ encodingName: 'G729', fmtp: 'annexb=no' });
    const dynamic = resolveFormat(media, '96');
    expect(dynamic && sameCodec(dynamic, PCMU)).toBe(true);
    expect(resolveFormat(media, '97')).toBeUndefined();
  });
});
