import { SdpNegotiationError, SdpParseError, parseSdp } from '@provod/sip';
import { describe, expect, it } from 'vitest';
import { LocalSdp } from './local-sdp.ts';

/** A phone's offer in the shape baresip sends (PCMU, PCMA, RFC 4733 events). */
const phoneOffer = [
  'v=0',
  'o=- 3720204497 1962267912 IN IP4 192.0.2.2',
  's=-',
  'c=IN IP4 192.0.2.2',
  't=0 0',
  'm=audio 43528 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  'a=ptime:20',
  '',
].join('\r\n');

const g722Only = `v=0
o=- 1 1 IN IP4 192.0.2.7
s=-
c=IN IP4 192.0.2.7
t=0 0
m=audio 4000 RTP/AVP 9
a=rtpmap:9 G722/8000
`.replace(/\n/g, '\r\n');

describe('LocalSdp: the SDP of a leg Provod terminates', () => {
  it('answers a phone’s offer on Provod’s address and port, with its codec and events', () => {
    const sdp = new LocalSdp('203.0.113.5', 20000);
    const { body, format } = sdp.answer(Buffer.from(phoneOffer));
    const answer = parseSdp(body);
    expect(answer.connection?.address).toBe('203.0.113.5');
    expect(answer.media[0]?.port).toBe(20000);
    expect(format.codec.encodingName.toUpperCase()).toMatch(/^PCM[UA]$/);
    expect(format.telephoneEvent).not.toBeNull();
    expect(format.receiving).toBe(true);
  });

  it('keeps the version of an unchanged answer and raises it when hold changes it', () => {
    const sdp = new LocalSdp('203.0.113.5', 20000);
    const first = parseSdp(sdp.answer(Buffer.from(phoneOffer)).body);
    const again = parseSdp(sdp.answer(Buffer.from(phoneOffer)).body);
    expect(again.origin.sessionVersion).toBe(first.origin.sessionVersion);
    const held = sdp.answer(Buffer.from(phoneOffer.replace('a=sendrecv', 'a=sendonly')));
    expect(parseSdp(held.body).origin.sessionVersion).toBe(first.origin.sessionVersion + 1n);
    // On hold the phone only sends: nothing goes to it.
    expect(held.format.receiving).toBe(false);
    expect(parseSdp(held.body).media[0]?.attributes).toContainEqual({
      kind: 'direction',
      direction: 'recvonly',
    });
  });

  it('offers G.711 and telephone-event, and settles on what the phone answers', () => {
    const sdp = new LocalSdp('203.0.113.5', 20002);
    const offer = parseSdp(sdp.offer());
    expect(offer.media[0]?.formats).toEqual(['0', '8', '101']);
    const answer = [
      'v=0',
      'o=- 2 2 IN IP4 192.0.2.9',
      's=-',
      'c=IN IP4 192.0.2.9',
      't=0 0',
      'm=audio 5004 RTP/AVP 8',
      'a=rtpmap:8 PCMA/8000',
      '',
    ].join('\r\n');
    const format = sdp.answered(Buffer.from(answer));
    expect(format.codec.encodingName).toBe('PCMA');
    expect(format.telephoneEvent).toBeNull();
    expect(format.remote).toEqual({ address: '192.0.2.9', port: 5004 });
  });

  it('refuses offers it cannot take and answers to no offer', () => {
    const sdp = new LocalSdp('203.0.113.5', 20000);
    expect(() => sdp.answer(Buffer.from(g722Only))).toThrow(SdpNegotiationError);
    expect(() => sdp.answer(Buffer.from('not sdp'))).toThrow(SdpParseError);
    expect(() => sdp.answered(Buffer.from(g722Only))).toThrow(/no offer/);
  });
});
