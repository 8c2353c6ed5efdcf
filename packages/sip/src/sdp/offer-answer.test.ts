import { describe, expect, it } from 'vitest';
import { G722, OPUS, PCMA, PCMU, TELEPHONE_EVENT, TELEPHONE_EVENT_48000 } from './codecs.ts';
import { declaredDirection, holdDirection, resumeDirection } from './direction.ts';
import { SdpNegotiationError } from './errors.ts';
import * as fixtures from './fixtures.ts';
import {
  createAnswer,
  createOffer,
  type SdpLocalMedia,
  type SdpLocalSession,
} from './offer-answer.ts';
import { parseSdp } from './parse.ts';
import { serializeSdp } from './serialize.ts';

const audio: SdpLocalMedia = {
  type: 'audio',
  port: 20000,
  codecs: [PCMU, PCMA, TELEPHONE_EVENT],
  attributes: [{ kind: 'other', name: 'ptime', value: '20' }],
};

function local(media: SdpLocalMedia[] = [audio]): SdpLocalSession {
  return { sessionId: '4242', sessionVersion: 1n, address: '203.0.113.5', media };
}

function answerTo(offer: string, session: SdpLocalSession = local()): string {
  return serializeSdp(createAnswer(parseSdp(offer), session));
}

describe('createOffer', () => {
  it('writes our codecs in preference order with rtpmap, fmtp, ptime and direction', () => {
    expect(serializeSdp(createOffer(local()))).toBe(
      'v=0\r\no=- 4242 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n' +
        'm=audio 20000 RTP/AVP 0 8 101\r\n' +
        'a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n' +
        'a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n',
    );
  });

  it('can carry Opus and G.722 (the codec list is open) and an IPv6 address', () => {
    const offer = createOffer({
      ...local([{ type: 'audio', port: 20000, codecs: [OPUS, G722, TELEPHONE_EVENT_48000] }]),
      address: '2001:db8::5',
    });
    const text = serializeSdp(offer);
    expect(text).toContain('o=- 4242 1 IN IP6 2001:db8::5\r\n');
    expect(text).toContain('m=audio 20000 RTP/AVP 111 9 110\r\n');
    expect(text).toContain('a=rtpmap:111 opus/48000/2\r\na=rtpmap:9 G722/8000\r\n');
    expect(text).toContain('a=fmtp:111 minptime=10;useinbandfec=1\r\n');
  });

  it('refuses a stream with no codec', () => {
    expect(() => createOffer(local([{ ...audio, codecs: [] }]))).toThrow(SdpNegotiationError);
  });

  it('holds and resumes with sendonly / sendrecv re-offers, version +1 each (RFC 3264 §8, §8.4)', () => {
    const first = createOffer(local());
    const held = createOffer(local([{ ...audio, direction: holdDirection('sendrecv') }]), first);
    expect(held.origin).toEqual({ ...first.origin, sessionVersion: 2n });
    const [heldAudio] = held.media;
    expect(heldAudio && declaredDirection(held, heldAudio)).toBe('sendonly');
    const resumed = createOffer(
      local([{ ...audio, direction: resumeDirection('sendonly') }]),
      held,
    );
    expect(resumed.origin.sessionVersion).toBe(3n);
    expect(serializeSdp(resumed)).toContain('a=sendrecv\r\n');
  });

  it('keeps the version when a re-offer is unchanged (session refresh, RFC 3264 §8)', () => {
    const first = createOffer(local());
    const again = createOffer({ ...local(), sessionVersion: 99n }, first);
    expect(serializeSdp(again)).toBe(serializeSdp(first));
  });
});

describe('createAnswer', () => {
  it('answers baresip with our PCMA-only preference, keeping telephone-event', () => {
    const pcmaOnly = local([{ ...audio, codecs: [PCMA, TELEPHONE_EVENT] }]);
    expect(answerTo(fixtures.baresipOffer, pcmaOnly)).toBe(
      'v=0\r\no=- 4242 1 IN IP4 203.0.113.5\r\ns=-\r\nc=IN IP4 203.0.113.5\r\nt=0 0\r\n' +
        'm=audio 20000 RTP/AVP 8 101\r\n' +
        'a=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n' +
        'a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n',
    );
  });

  it('keeps the offerer order (RFC 3264 §6.1), not ours', () => {
    const ours = local([{ ...audio, codecs: [PCMA, PCMU, TELEPHONE_EVENT] }]);
    expect(answerTo(fixtures.deskPhoneOffer, ours)).toContain('m=audio 20000 RTP/AVP 0 8 101\r\n');
  });

  it('keeps the offerer payload numbers for dynamic types and matches telephone-event by rate', () => {
    const opus = local([
      {
        type: 'audio',
        port: 20000,
        protocol: 'UDP/TLS/RTP/SAVPF',
        codecs: [OPUS, PCMU, TELEPHONE_EVENT, TELEPHONE_EVENT_48000],
      },
    ]);
    const answer = createAnswer(parseSdp(fixtures.chromiumOffer), opus);
    // Chromium offers 111 opus, 0 PCMU, 110 telephone-event/48000, 126 telephone-event/8000.
    expect(answer.media[0]?.formats).toEqual(['111', '0', '110', '126']);
    const g711 = createAnswer(
      parseSdp(fixtures.chromiumOffer),
      local([{ ...audio, protocol: 'UDP/TLS/RTP/SAVPF' }]),
    );
    // With G.711 only, the 48 kHz telephone-event has no codec at its rate.
    expect(g711.media[0]?.formats).toEqual(['0', '8', '126']);
  });

  it('rejects video with port 0 and the same number of m= lines (RFC 3264 §10.1)', () => {
    const pcmu = local([{ type: 'audio', port: 49920, codecs: [PCMU] }]);
    const answer = parseSdp(answerTo(fixtures.rfc3264BasicOffer, pcmu));
    expect(answer.media.map((m) => [m.type, m.port, m.formats])).toEqual([
      ['audio', 49920, ['0']],
      ['video', 0, ['31']],
      ['video', 0, ['32']],
    ]);
  });

  it('answers a sendonly (held) offer with recvonly, inactive with inactive (RFC 3264 §6.1)', () => {
    const held = fixtures.baresipOffer.replace('a=sendrecv', 'a=sendonly');
    expect(answerTo(held)).toContain('a=recvonly\r\n');
    expect(answerTo(fixtures.rfc3264InactiveOffer)).toContain('a=inactive\r\n');
    const recvonly = fixtures.baresipOffer.replace('a=sendrecv', 'a=recvonly');
    expect(answerTo(recvonly)).toContain('a=sendonly\r\n');
  });

  it('treats the RFC 2543 c=0.0.0.0 hold as "do not send to me" (RFC 3264 §8.4)', () => {
    const pcmuIlbc = local([
      {
        type: 'audio',
        port: 20000,
        codecs: [PCMU, { ...PCMU, encodingName: 'iLBC', payloadType: 97 }],
      },
    ]);
    expect(answerTo(fixtures.rfc4317BlackHoleOffer, pcmuIlbc)).toContain('a=recvonly\r\n');
  });

  it('answers an offer with no m= line with none (RFC 4317 §5.1)', () => {
    expect(createAnswer(parseSdp(fixtures.rfc4317NoMediaOffer), local()).media).toEqual([]);
  });

  it('throws no_common_codec (488) when nothing offered is supported', () => {
    const g729Only = fixtures.deskPhoneOffer.replace(
      'm=audio 12000 RTP/AVP 9 0 8 18 101',
      'm=audio 12000 RTP/AVP 18 101',
    );
    let caught: unknown;
    try {
      createAnswer(parseSdp(g729Only), local());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SdpNegotiationError);
    expect(caught).toMatchObject({ reason: 'no_common_codec', status: 488 });
  });

  it('does not accept telephone-event alone as a codec', () => {
    const eventsOnly = fixtures.baresipOffer.replace('RTP/AVP 0 8 101', 'RTP/AVP 101');
    expect(() => createAnswer(parseSdp(eventsOnly), local())).toThrow(SdpNegotiationError);
  });

  it('rejects a protocol we do not speak (SAVPF from a browser vs our RTP/AVP)', () => {
    expect(() => createAnswer(parseSdp(fixtures.chromiumOffer), local())).toThrow(
      SdpNegotiationError,
    );
  });

  it('increments its own version on a changed re-answer and keeps o= otherwise (RFC 4317 §2.5)', () => {
    const offer = parseSdp(fixtures.baresipOffer);
    const first = createAnswer(offer, local());
    const same = createAnswer(offer, local(), first);
    expect(same.origin.sessionVersion).toBe(1n);
    const held = parseSdp(fixtures.baresipOffer.replace('a=sendrecv', 'a=sendonly'));
    const changed = createAnswer(held, local(), same);
    expect(changed.origin.sessionVersion).toBe(2n);
  });
});
