/**
 * The SDP data model (RFC 8866, which obsoletes RFC 4566). One field per line type, in
 * the order §5 lists them; attributes stay an ordered list so that lines we do not
 * interpret (ICE, DTLS, SSRC… from browsers) pass through verbatim.
 *
 *   Session description              Media description
 *     v=  o=  s=  i=* u=* e=* p=*       m=  i=* c=* b=* k=* a=*
 *     c=* b=* (t= r=*)+ z=* k=* a=*
 */

/** RFC 3264 §5.1: the four direction attributes; sendrecv is the default. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const mediaDirections: readonly MediaDirection[] = [
  'sendrecv',
  'sendonly',
  'recvonly',
  'inactive',
];

/** o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (§5.2) */
export interface SdpOrigin {
  username: string;
  /** Kept as text: browsers use 64-bit ids, beyond Number's safe range. */
  sessionId: string;
  /** A bigint because RFC 3264 §8 increments it and browsers start it near 2^62. */
  sessionVersion: bigint;
  netType: string;
  addrType: string;
  unicastAddress: string;
}

/** c=<nettype> <addrtype> <connection-address> (§5.7), multicast suffixes split out. */
export interface SdpConnection {
  netType: string;
  addrType: string;
  address: string;
  /** IP4 multicast only: the "/ttl" suffix. */
  ttl?: number;
  /** Multicast: the "/<number of addresses>" suffix. */
  addressCount?: number;
}

/** b=<bwtype>:<bandwidth> (§5.8), e.g. AS:64, TIAS:64000. */
export interface SdpBandwidth {
  type: string;
  value: number;
}

/** t=<start-time> <stop-time> and its r= lines (§5.9, §5.10); r= kept as written. */
export interface SdpTiming {
  start: number;
  stop: number;
  repeats: string[];
}

/** a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>] (§6.6) */
export interface RtpmapAttribute {
  kind: 'rtpmap';
  payloadType: number;
  encodingName: string;
  clockRate: number;
  /** For audio, the channel count; absent means one. */
  encodingParameters?: number;
}

/** a=fmtp:<format> <format specific parameters> (§6.15); parameters kept verbatim. */
export interface FmtpAttribute {
  kind: 'fmtp';
  format: string;
  parameters: string;
}

/** a=sendrecv / a=sendonly / a=recvonly / a=inactive (§6.7). */
export interface DirectionAttribute {
  kind: 'direction';
  direction: MediaDirection;
}

/** Any other attribute: a=<name> (a flag) or a=<name>:<value>, value kept verbatim. */
export interface OtherAttribute {
  kind: 'other';
  name: string;
  value?: string;
}

export type SdpAttribute = RtpmapAttribute | FmtpAttribute | DirectionAttribute | OtherAttribute;

/** m=<media> <port>[/<number of ports>] <proto> <fmt> ... (§5.14) and its lines. */
export interface MediaDescription {
  /** audio, video, text, application, message, image… */
  type: string;
  /** 0 means the stream is rejected or disabled (RFC 3264 §6, §8.2). */
  port: number;
  portCount?: number;
  /** RTP/AVP, RTP/SAVP, RTP/SAVPF, UDP/TLS/RTP/SAVPF, udptl… */
  protocol: string;
  /** Payload type numbers for RTP profiles; other tokens for other protocols. */
  formats: string[];
  /** i= */
  title?: string;
  connection?: SdpConnection;
  bandwidths: SdpBandwidth[];
  /** k= (obsolete in RFC 8866, kept only to round-trip). */
  encryptionKey?: string;
  attributes: SdpAttribute[];
}

export interface SessionDescription {
  /** v= — always 0. */
  version: 0;
  origin: SdpOrigin;
  /** s= — RFC 8866 wants it non-empty, but RFC 3264 §10's own examples send "s=". */
  sessionName: string;
  information?: string;
  uri?: string;
  emails: string[];
  phones: string[];
  connection?: SdpConnection;
  bandwidths: SdpBandwidth[];
  timing: SdpTiming[];
  /** z= kept as written. */
  timeZones?: string;
  encryptionKey?: string;
  attributes: SdpAttribute[];
  media: MediaDescription[];
}
