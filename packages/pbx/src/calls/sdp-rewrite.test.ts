import { parseSdp, serializeSdp, type SdpOrigin } from '@provod/sip';
import { describe, expect, it } from 'vitest';
import { anchorSdp, isRelayable } from './sdp-rewrite.ts';

// RFC 3264 §10.1, the offer of the first example (audio and two video streams).
const rfc3264Offer = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 host.anywhere.com',
  's=',
  'c=IN IP4 host.anywhere.com',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  'm=video 51372 RTP/AVP 31',
  'a=rtpmap:31 H261/90000',
  'm=video 53000 RTP/AVP 32',
  'a=rtpmap:32 MPV/90000',
  '',
].join('\r\n');

const origin: SdpOrigin = {
  username: 'provod',
  sessionId: '42',
  sessionVersion: 3n,
  netType: 'IN',
  addrType: 'IP4',
  unicastAddress: 'ignored',
};

describe('anchorSdp', () => {
  it('puts Provod’s host and port on the audio, disables the rest, keeps the codecs', () => {
    const rewritten = anchorSdp(
      parseSdp(rfc3264Offer),
      { host: '203.0.113.5', port: 20000 },
      origin,
    );
    expect(serializeSdp(rewritten).split('\r\n')).toEqual([
      'v=0',
      'o=provod 42 3 IN IP4 203.0.113.5',
      's=',
      'c=IN IP4 203.0.113.5',
      't=0 0',
      'm=audio 20000 RTP/AVP 0',
      'a=rtpmap:0 PCMU/8000',
      'm=video 0 RTP/AVP 31',
      'a=rtpmap:31 H261/90000',
      'm=video 0 RTP/AVP 32',
      'a=rtpmap:32 MPV/90000',
      '',
    ]);
  });

  it('keeps the old hold address and the direction, drops the phone’s transport lines', () => {
    const held = parseSdp(
      [
        'v=0',
        'o=bob 1 2 IN IP6 2001:db8::2',
        's=-',
        'c=IN IP6 2001:db8::2',
        't=0 0',
        'm=audio 4000 RTP/AVP 8 101',
        'c=IN IP4 0.0.0.0',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=rtcp:4001',
        'a=ssrc:1234 cname:bob',
        'a=ptime:20',
        'a=sendonly',
        '',
      ].join('\r\n'),
    );
    const lines = serializeSdp(anchorSdp(held, { host: '2001:db8::1', port: 20002 }, origin));
    expect(lines).toContain('o=provod 42 3 IN IP6 2001:db8::1\r\n');
    expect(lines).toContain('c=IN IP6 2001:db8::1\r\n');
    expect(lines).toContain('m=audio 20002 RTP/AVP 8 101\r\nc=IN IP4 0.0.0.0\r\n');
    expect(lines).toContain('a=fmtp:101 0-15\r\na=ptime:20\r\na=sendonly\r\n');
    expect(lines).not.toMatch(/a=rtcp|a=ssrc/);
  });
});

describe('isRelayable', () => {
  it('takes plain RTP and refuses WebRTC, SRTP and SDP without audio', () => {
    const audio = (protocol: string) =>
      parseSdp(`v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 ${protocol} 0\r\n`);
    expect(isRelayable(parseSdp(rfc3264Offer))).toBe(true);
    expect(isRelayable(audio('RTP/AVPF'))).toBe(true);
    expect(isRelayable(audio('UDP/TLS/RTP/SAVPF'))).toBe(false);
    expect(isRelayable(audio('RTP/SAVP'))).toBe(false);
    const videoOnly = parseSdp(
      'v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nt=0 0\r\nm=video 9 RTP/AVP 31\r\n',
    );
    expect(isRelayable(videoOnly)).toBe(false);
  });
});
