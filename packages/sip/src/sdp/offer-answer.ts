import {
  isTelephoneEvent,
  resolveFormat,
  sameCodec,
  type CodecSpec,
  type ResolvedFormat,
} from './codecs.ts';
import { answerDirection, effectiveDirection } from './direction.ts';
import { SdpNegotiationError } from './errors.ts';
import { serializeSdp } from './serialize.ts';
import type {
  SdpConnection,
  MediaDirection,
  MediaDescription,
  SdpAttribute,
  SessionDescription,
} from './types.ts';

/*
 * RFC 3264, the offer/answer model:
 *
 *   offerer                                 answerer
 *     createOffer(local[, previous]) ──────▶  createAnswer(offer, local[, previous])
 *     negotiatedAudio(offer, answer)  ◀──────  (same m= lines, same order: §6)
 *
 * `previous` is the last SDP we sent in this session (dialog). §8: a new offer or
 * answer in the same session keeps o='s username and sess-id and increments
 * sess-version by one, unless the SDP is unchanged, when the version stays.
 */

/** One stream we are willing to have, e.g. audio on our RTP port. */
export interface SdpLocalMedia {
  /** m= media type: 'audio' for the telephony leg. */
  type: string;
  port: number;
  /** Defaults to RTP/AVP; an offered stream with another protocol is rejected. */
  protocol?: string;
  /** Where we receive this stream, if not the session address. */
  address?: string;
  /** Supported codecs in preference order, telephone-event included. */
  codecs: readonly CodecSpec[];
  /** What we wish (RFC 3264 §5.1); sendrecv unless holding. */
  direction?: MediaDirection;
  /** Further attributes written after rtpmap/fmtp: a=ptime:20, ICE/DTLS lines… */
  attributes?: readonly SdpAttribute[];
}

export interface SdpLocalSession {
  /** o= username; "-" when there is none to give (RFC 8866 §5.2). */
  username?: string;
  /** o= sess-id: the caller makes it (clock or randomness stays a parameter). */
  sessionId: string;
  /** o= sess-version for the first SDP of the session. */
  sessionVersion: bigint;
  /** Our unicast address, for o= and the session-level c=. */
  address: string;
  sessionName?: string;
  media: readonly SdpLocalMedia[];
}

const defaultProtocol = 'RTP/AVP';

export function createOffer(
  local: SdpLocalSession,
  previous?: SessionDescription,
): SessionDescription {
  const media = local.media.map((m) => {
    if (m.codecs.length === 0) {
      throw new SdpNegotiationError('no_local_codecs', `no codec to offer for ${m.type}`);
    }
    const formats = m.codecs.map((codec) => ({ ...codec }));
    return mediaDescription(local, m, formats, m.direction ?? 'sendrecv');
  });
  return withSessionVersion(sessionShell(local, media), previous);
}

/**
 * RFC 3264 §6: one m= line per offered one, in the same order; a stream we cannot take
 * gets port 0. §6.1: the formats are the common ones in the offerer's order with the
 * offerer's payload type numbers; telephone-event is kept only at a voice codec's rate.
 * Throws SdpNegotiationError('no_common_codec') — answer 488 — when no offered stream
 * could be accepted.
 */
export function createAnswer(
  offer: SessionDescription,
  local: SdpLocalSession,
  previous?: SessionDescription,
): SessionDescription {
  const unused = [...local.media];
  let offeredActive = 0;
  const media = offer.media.map((offered) => {
    if (offered.port === 0) return rejected(offered);
    offeredActive++;
    for (const [i, candidate] of unused.entries()) {
      if (candidate.type !== offered.type) continue;
      if ((candidate.protocol ?? defaultProtocol) !== offered.protocol) continue;
      const formats = commonFormats(offered, candidate.codecs);
      if (formats.length === 0) continue;
      unused.splice(i, 1);
      const direction = answerDirection(
        effectiveDirection(offer, offered),
        candidate.direction ?? 'sendrecv',
      );
      return mediaDescription(local, candidate, formats, direction);
    }
    return rejected(offered);
  });
  if (offeredActive > 0 && media.every((m) => m.port === 0)) {
    throw new SdpNegotiationError(
      'no_common_codec',
      'no offered stream has a codec, protocol and media type we support',
    );
  }
  return withSessionVersion(sessionShell(local, media), previous);
}

/** Offered formats we support, offer order, offer numbers and names (RFC 3264 §6.1). */
function commonFormats(offered: MediaDescription, codecs: readonly CodecSpec[]): ResolvedFormat[] {
  const common: ResolvedFormat[] = [];
  for (const format of offered.formats) {
    const resolved = resolveFormat(offered, format);
    const ours = resolved && codecs.find((c) => sameCodec(c, resolved));
    if (!resolved || !ours) continue;
    // The fmtp we write says what we accept, so it is ours, not the offerer's.
    const { fmtp: _theirs, ...codec } = resolved;
    common.push(ours.fmtp === undefined ? codec : { ...codec, fmtp: ours.fmtp });
  }
  const voice = common.filter((f) => !isTelephoneEvent(f));
  // RFC 4733 §7.1.1: telephone-event only makes sense at the rate of a voice codec.
  const rates = new Set(voice.map((f) => f.clockRate));
  if (voice.length === 0) return [];
  return common.filter((f) => !isTelephoneEvent(f) || rates.has(f.clockRate));
}

function mediaDescription(
  local: SdpLocalSession,
  m: SdpLocalMedia,
  formats: readonly ResolvedFormat[],
  direction: MediaDirection,
): MediaDescription {
  const attributes: SdpAttribute[] = [];
  for (const f of formats) {
    attributes.push({
      kind: 'rtpmap',
      payloadType: f.payloadType,
      encodingName: f.encodingName,
      clockRate: f.clockRate,
      ...(f.channels === 1 ? {} : { encodingParameters: f.channels }),
    });
  }
  for (const f of formats) {
    if (f.fmtp !== undefined) {
      attributes.push({ kind: 'fmtp', format: String(f.payloadType), parameters: f.fmtp });
    }
  }
  attributes.push(...(m.attributes ?? []));
  // Written even when sendrecv: explicit beats the default for the peers we meet.
  attributes.push({ kind: 'direction', direction });
  const address = m.address ?? local.address;
  return {
    type: m.type,
    port: m.port,
    protocol: m.protocol ?? defaultProtocol,
    formats: formats.map((f) => String(f.payloadType)),
    ...(address === local.address ? {} : { connection: connectionFor(address) }),
    bandwidths: [],
    attributes,
  };
}

/** RFC 3264 §6: a rejected stream keeps its media type and formats, port 0, no attributes. */
function rejected(offered: MediaDescription): MediaDescription {
  return {
    type: offered.type,
    port: 0,
    protocol: offered.protocol,
    formats: [...offered.formats],
    bandwidths: [],
    attributes: [],
  };
}

function sessionShell(local: SdpLocalSession, media: MediaDescription[]): SessionDescription {
  const connection = connectionFor(local.address);
  return {
    version: 0,
    origin: {
      username: local.username ?? '-',
      sessionId: local.sessionId,
      sessionVersion: local.sessionVersion,
      netType: connection.netType,
      addrType: connection.addrType,
      unicastAddress: local.address,
    },
    sessionName: local.sessionName ?? '-',
    emails: [],
    phones: [],
    connection,
    bandwidths: [],
    timing: [{ start: 0, stop: 0, repeats: [] }],
    attributes: [],
    media,
  };
}

function connectionFor(address: string): SdpConnection {
  return { netType: 'IN', addrType: address.includes(':') ? 'IP6' : 'IP4', address };
}

/**
 * RFC 3264 §8: "the origin line MUST be identical to the previous one except the version,
 * which MUST increment by one … If the version does not change, the SDP MUST be
 * identical". So an unchanged SDP (a session refresh) keeps the version.
 */
function withSessionVersion(
  candidate: SessionDescription,
  previous: SessionDescription | undefined,
): SessionDescription {
  if (!previous) return candidate;
  const unchanged: SessionDescription = { ...candidate, origin: previous.origin };
  if (serializeSdp(unchanged) === serializeSdp(previous)) return unchanged;
  return {
    ...candidate,
    origin: { ...previous.origin, sessionVersion: previous.origin.sessionVersion + 1n },
  };
}
