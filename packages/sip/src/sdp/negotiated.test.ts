import { describe, expect, it } from 'vitest';
import { PCMA, PCMU, TELEPHONE_EVENT } from './codecs.ts';
import { SdpNegotiationError } from './errors.ts';
import * as fixtures from './fixtures.ts';
import { negotiatedAudio, negotiatedStreams } from './negotiated.ts';
import { createAnswer, createOffer, type SdpLocalSession } from './offer-answer.ts';
import { parseSdp } from './parse.ts';

const us: SdpLocalSession = {
  sessionId: '7',
  sessionVersion: 1n,
  address: '203.0.113.5',
  media: [{ type: 'audio', port: 20000, codecs: [PCMA, PCMU, TELEPHONE_EVENT] }],
};

describe('negotiatedAudio (we offered, they answered)', () => {
  it('gives codec, telephone-event, remote address/ports and direction', () => {
    const offer = createOffer(us);
    const answer = parseSdp(fixtures.baresipOffer); // baresip's SDP read as its answer
    expect(negotiatedAudio(offer, answer)).toEqual({
      index: 0,
      type: 'audio',
      codec: { encodingName: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 },
      receivePayloadType: 0,
      telephoneEvent: { payloadType: 101, receivePayloadType: 101, clockRate: 8000 },
      remoteAddress: '192.0.2.2',
      remotePort: 43528,
      remoteRtcpPort: 43529,
      direction: 'sendrecv',
      ptime: 20,
    });
  });

  it('sends with the answerer’s renumbered payload type (RFC 4317 §2.3)', () => {
    const offer = parseSdp(fixtures.rfc4317AudioVideoOffer);
    const answer = parseSdp(fixtures.rfc4317RenumberedAnswer);
    const [audio, video] = negotiatedStreams(offer, answer, 'offerer');
    expect(audio?.codec).toMatchObject({ encodingName: 'iLBC', payloadType: 99 });
    expect(audio?.receivePayloadType).toBe(97);
    expect(video?.codec).toMatchObject({ encodingName: 'H261', payloadType: 31 });
    // The answerer's view: it sends 97 (the offer's number) and receives 99.
    const [theirs] = negotiatedStreams(offer, answer, 'answerer');
    expect(theirs).toMatchObject({
      codec: { payloadType: 97 },
      receivePayloadType: 99,
      remoteAddress: 'host.atlanta.example.com',
      remotePort: 49170,
    });
  });

  it('picks the answer’s first common codec and skips rejected streams (RFC 4317 §2.1)', () => {
    const streams = negotiatedStreams(
      parseSdp(fixtures.rfc4317AudioVideoOffer),
      parseSdp(fixtures.rfc4317AudioVideoAnswer),
      'offerer',
    );
    expect(streams.map((s) => [s.type, s.codec.encodingName, s.remotePort])).toEqual([
      ['audio', 'PCMU', 49174],
      ['video', 'MPV', 49170],
    ]);
    const basic = negotiatedStreams(
      parseSdp(fixtures.rfc3264BasicOffer),
      parseSdp(fixtures.rfc3264BasicAnswer),
      'offerer',
    );
    expect(basic.map((s) => s.index)).toEqual([0, 2]);
  });

  it('sees that the answerer holds us: it only sends, so we only receive (RFC 4317 §3.1)', () => {
    const audio = negotiatedAudio(
      parseSdp(fixtures.rfc4317HoldOffer),
      parseSdp(fixtures.rfc4317HoldAnswer),
    );
    expect(audio).toMatchObject({
      direction: 'recvonly',
      remoteAddress: 'placeholder.biloxi.example.com',
      codec: { encodingName: 'iLBC', payloadType: 97 },
    });
  });

  it('does not send to a peer that answered with c=0.0.0.0 (RFC 3264 §8.4)', () => {
    const offer = createOffer(us);
    const answer = parseSdp(fixtures.baresipOffer.replaceAll('192.0.2.2', '0.0.0.0'));
    expect(negotiatedAudio(offer, answer).direction).toBe('recvonly');
  });

  it('uses a=rtcp (RFC 3605) and rtcp-mux on both sides (RFC 5761) for the RTCP port', () => {
    const offer = createOffer({
      ...us,
      media: [
        {
          ...us.media[0],
          type: 'audio',
          port: 20000,
          codecs: [PCMU],
          attributes: [{ kind: 'other', name: 'rtcp-mux' }],
        },
      ],
    });
    const muxed = parseSdp(fixtures.baresipOffer.replace('a=label:1', 'a=rtcp-mux'));
    expect(negotiatedAudio(offer, muxed).remoteRtcpPort).toBe(43528);
    const explicit = parseSdp(
      fixtures.baresipOffer.replace('a=label:1', 'a=rtcp:50001 IN IP4 192.0.2.2'),
    );
    expect(negotiatedAudio(offer, explicit).remoteRtcpPort).toBe(50001);
  });

  it('works for the answerer side after createAnswer', () => {
    const offer = parseSdp(fixtures.deskPhoneOffer);
    const answer = createAnswer(offer, us);
    expect(negotiatedAudio(offer, answer, 'answerer')).toMatchObject({
      codec: { encodingName: 'PCMU', payloadType: 0 },
      telephoneEvent: { payloadType: 101, clockRate: 8000 },
      remoteAddress: '192.0.2.40',
      remotePort: 12000,
      direction: 'sendrecv',
      ptime: 20,
    });
  });

  it('refuses an answer with a different number of m= lines or no codec of ours', () => {
    const offer = parseSdp(fixtures.rfc4317AudioVideoOffer);
    const short = parseSdp(fixtures.rfc4317HoldAnswer);
    expect(() => negotiatedStreams(offer, short, 'offerer')).toThrow(SdpNegotiationError);
    const foreign = parseSdp(fixtures.baresipOffer.replace('RTP/AVP 0 8 101', 'RTP/AVP 101'));
    expect(() => negotiatedAudio(createOffer(us), foreign)).toThrow(SdpNegotiationError);
    const rejected = parseSdp(fixtures.baresipOffer.replace('m=audio 43528', 'm=audio 0'));
    expect(() => negotiatedAudio(createOffer(us), rejected)).toThrow(
      expect.objectContaining({ reason: 'answer_not_acceptable' }),
    );
  });
});
