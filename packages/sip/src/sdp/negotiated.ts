import { findAttributeValue, hasFlag } from './attributes.ts';
import { isTelephoneEvent, resolveFormat, sameCodec, type ResolvedFormat } from './codecs.ts';
import { effectiveDirection, mediaConnection, reverseDirection } from './direction.ts';
import { SdpNegotiationError } from './errors.ts';
import type { MediaDirection, MediaDescription, SessionDescription } from './types.ts';

/**
 * What the media engine needs for one accepted stream once an offer and its answer are
 * both known. Payload types: RFC 3264 §6.1 — each side receives with the numbers it
 * wrote, so we send with the peer's numbers and receive with ours (they differ only when
 * the answerer renumbered a dynamic type, RFC 4317 §2.3).
 */
export interface NegotiatedStream {
  /** Index of the m= line in both SDPs. */
  index: number;
  type: string;
  /** The codec to send; `payloadType` is the peer's number for it. */
  codec: ResolvedFormat;
  /** The number the peer will put in RTP it sends us for this codec. */
  receivePayloadType: number;
  /** RFC 4733 events at the codec's clock rate, if both sides have them. */
  telephoneEvent?: { payloadType: number; receivePayloadType: number; clockRate: number };
  remoteAddress: string;
  remotePort: number;
  /** RFC 3605 a=rtcp, else the RTP port with rtcp-mux on both sides (RFC 5761), else port + 1. */
  remoteRtcpPort: number;
  /** What we do on this stream, from our side: sendonly means we send and do not receive. */
  direction: MediaDirection;
  /** The peer's a=ptime: the packet duration it wants to receive, in ms. */
  ptime?: number;
}

export type OfferAnswerSide = 'offerer' | 'answerer';

/**
 * The accepted streams of an offer/answer exchange seen from `side`. The codec is the
 * first one of the answer's formats that the offer also had (the answer orders them,
 * RFC 3264 §6.1). Throws 'answer_not_acceptable' if the answer does not have the offer's
 * m= lines (§6) or accepts a stream with no codec from the offer.
 */
export function negotiatedStreams(
  offer: SessionDescription,
  answer: SessionDescription,
  side: OfferAnswerSide,
): NegotiatedStream[] {
  if (answer.media.length !== offer.media.length) {
    throw new SdpNegotiationError(
      'answer_not_acceptable',
      `the answer has ${answer.media.length} m= lines, the offer ${offer.media.length} (RFC 3264 §6)`,
    );
  }
  const [local, remote] = side === 'offerer' ? [offer, answer] : [answer, offer];
  const streams: NegotiatedStream[] = [];
  offer.media.forEach((offered, index) => {
    const answered = answer.media[index];
    const ours = local.media[index];
    const theirs = remote.media[index];
    if (!answered || !ours || !theirs || offered.port === 0 || answered.port === 0) return;
    streams.push(stream(index, offered, answered, local, ours, remote, theirs));
  });
  return streams;
}

/**
 * The first accepted audio stream: what a telephony leg plays and records. Throws
 * 'answer_not_acceptable' when there is none.
 */
export function negotiatedAudio(
  offer: SessionDescription,
  answer: SessionDescription,
  side: OfferAnswerSide = 'offerer',
): NegotiatedStream {
  const audio = negotiatedStreams(offer, answer, side).find((s) => s.type === 'audio');
  if (!audio) {
    throw new SdpNegotiationError('answer_not_acceptable', 'the answer accepted no audio stream');
  }
  return audio;
}

function stream(
  index: number,
  offered: MediaDescription,
  answered: MediaDescription,
  local: SessionDescription,
  ours: MediaDescription,
  remote: SessionDescription,
  theirs: MediaDescription,
): NegotiatedStream {
  const common = answered.formats
    .map((format) => resolveFormat(answered, format))
    .filter((f): f is ResolvedFormat => f !== undefined)
    .filter((f) => offered.formats.some((o) => matches(offered, o, f)));
  const voice = common.find((f) => !isTelephoneEvent(f));
  if (!voice) {
    throw new SdpNegotiationError(
      'answer_not_acceptable',
      `m= line ${index} was accepted with no codec from the offer`,
    );
  }
  const events = common.find((f) => isTelephoneEvent(f) && f.clockRate === voice.clockRate);
  const send = numberIn(theirs, voice) ?? voice;
  const connection = mediaConnection(remote, theirs);
  const rtcp = findAttributeValue(theirs.attributes, 'rtcp');
  const rtcpPort = rtcp === undefined ? NaN : Number(rtcp.split(' ')[0]);
  const muxed = hasFlag(theirs.attributes, 'rtcp-mux') && hasFlag(ours.attributes, 'rtcp-mux');
  const ptime = Number(findAttributeValue(theirs.attributes, 'ptime'));
  const ourDirection = effectiveDirection(local, ours);
  const theirView = reverseDirection(effectiveDirection(remote, theirs));
  return {
    index,
    type: answered.type,
    codec: send,
    receivePayloadType: (numberIn(ours, voice) ?? voice).payloadType,
    ...(events
      ? {
          telephoneEvent: {
            payloadType: (numberIn(theirs, events) ?? events).payloadType,
            receivePayloadType: (numberIn(ours, events) ?? events).payloadType,
            clockRate: events.clockRate,
          },
        }
      : {}),
    remoteAddress: connection?.address ?? '',
    remotePort: theirs.port,
    remoteRtcpPort: Number.isInteger(rtcpPort) ? rtcpPort : muxed ? theirs.port : theirs.port + 1,
    direction: intersect(ourDirection, theirView),
    ...(Number.isFinite(ptime) && ptime > 0 ? { ptime } : {}),
  };
}

function matches(media: MediaDescription, format: string, codec: ResolvedFormat): boolean {
  const resolved = resolveFormat(media, format);
  return resolved !== undefined && sameCodec(resolved, codec);
}

/** The same codec as written in one side's m= line (its payload number, its fmtp). */
function numberIn(media: MediaDescription, codec: ResolvedFormat): ResolvedFormat | undefined {
  for (const format of media.formats) {
    const resolved = resolveFormat(media, format);
    if (resolved && sameCodec(resolved, codec)) return resolved;
  }
  return undefined;
}

function intersect(a: MediaDirection, b: MediaDirection): MediaDirection {
  const send = a !== 'recvonly' && a !== 'inactive' && b !== 'recvonly' && b !== 'inactive';
  const recv = a !== 'sendonly' && a !== 'inactive' && b !== 'sendonly' && b !== 'inactive';
  if (send && recv) return 'sendrecv';
  if (send) return 'sendonly';
  if (recv) return 'recvonly';
  return 'inactive';
}
