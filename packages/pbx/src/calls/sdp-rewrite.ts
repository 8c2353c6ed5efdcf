import { isIP } from 'node:net';
import {
  isHoldAddress,
  mediaConnection,
  type MediaDescription,
  type SdpAttribute,
  type SdpConnection,
  type SdpOrigin,
  type SessionDescription,
} from '@provod/sip';

/**
 * How an anchored call's SDP is rewritten on its way through Provod: what one phone
 * wrote, with Provod's address in place of the phone's, so the other phone sends its RTP
 * to Provod. Codecs, their order, payload numbers, fmtp, ptime and the direction stay as
 * the phone wrote them — the other phone negotiates with its real peer's capabilities
 * (RFC 3264 §5.1) — only the transport parts change.
 */

/** Plain RTP profiles the relay can carry (RFC 3551 AVP, RFC 4585 AVPF). */
const RELAYABLE_PROTOCOLS = new Set(['RTP/AVP', 'RTP/AVPF']);

/**
 * Attributes that describe the writer's own transport, wrong once Provod is in between:
 * its RTCP port (RFC 3605) and rtcp-mux (RFC 5761; our sessions use port + 1), its SSRCs
 * (RFC 5576; Provod sends under its own), and ICE (RFC 8839; the relay does not do ICE).
 */
const TRANSPORT_ATTRIBUTES = new Set([
  'rtcp',
  'rtcp-mux',
  'ssrc',
  'ssrc-group',
  'candidate',
  'remote-candidates',
  'end-of-candidates',
  'ice-ufrag',
  'ice-pwd',
  'ice-options',
  'ice-lite',
]);

/** The m= line the relay carries: the first audio stream that is not disabled. */
export function relayedAudioIndex(sdp: SessionDescription): number {
  return sdp.media.findIndex((media) => media.type === 'audio' && media.port !== 0);
}

/**
 * Whether the relay can carry this SDP's audio: plain RTP. WebRTC (UDP/TLS/RTP/SAVPF,
 * RFC 8829) and SDES-SRTP (RTP/SAVP) need keys the relay does not have; such calls are
 * passed through until the WebRTC leg exists.
 */
export function isRelayable(sdp: SessionDescription): boolean {
  const audio = sdp.media[relayedAudioIndex(sdp)];
  return audio !== undefined && RELAYABLE_PROTOCOLS.has(audio.protocol.toUpperCase());
}

/** `sdp` with Provod's host and RTP port for its audio, and Provod's origin line. */
export function anchorSdp(
  sdp: SessionDescription,
  local: { readonly host: string; readonly port: number },
  origin: SdpOrigin,
): SessionDescription {
  const ours: SdpConnection = {
    netType: 'IN',
    addrType: isIP(local.host) === 6 ? 'IP6' : 'IP4',
    address: local.host,
  };
  const audioIndex = relayedAudioIndex(sdp);
  const media = sdp.media.map((description, index): MediaDescription => {
    // Only one audio stream is relayed; others are disabled (port 0, RFC 3264 §5.1/§6).
    if (index !== audioIndex) return { ...copyMedia(description), port: 0 };
    const hold = isHoldAddress(mediaConnection(sdp, description));
    const rewritten: MediaDescription = {
      ...copyMedia(description),
      port: local.port,
      attributes: description.attributes.filter((attribute) => !isTransport(attribute)),
    };
    delete rewritten.connection;
    delete rewritten.portCount;
    // RFC 3264 §8.4: c=0.0.0.0 is the old form of hold; the other phone must still see it.
    if (hold) rewritten.connection = { netType: 'IN', addrType: 'IP4', address: '0.0.0.0' };
    return rewritten;
  });
  return {
    ...sdp,
    origin: { ...origin, addrType: ours.addrType, unicastAddress: local.host },
    connection: ours,
    attributes: sdp.attributes.filter((attribute) => !isTransport(attribute)),
    media,
  };
}

function copyMedia(media: MediaDescription): MediaDescription {
  return { ...media, formats: [...media.formats], attributes: [...media.attributes] };
}

function isTransport(attribute: SdpAttribute): boolean {
  return attribute.kind === 'other' && TRANSPORT_ATTRIBUTES.has(attribute.name);
}
