import { findFmtp, findRtpmap } from './attributes.ts';
import type { MediaDescription } from './types.ts';

/** A codec as RTP names it: encoding name, clock rate, channels (RFC 8866 §6.6). */
export interface RtpCodec {
  encodingName: string;
  clockRate: number;
  /** Audio channels; 1 when the rtpmap has no encoding parameters. */
  channels: number;
}

/**
 * A codec we support. `payloadType` is the static number, or the dynamic number (96–127)
 * we use when we are the offerer; as answerer we keep the offerer's number (RFC 3264
 * §6.1). `fmtp` is what we write in a=fmtp for it.
 */
export interface CodecSpec extends RtpCodec {
  payloadType: number;
  fmtp?: string;
}

/** An offered or answered format resolved to its codec. */
export interface ResolvedFormat extends RtpCodec {
  payloadType: number;
  fmtp?: string;
}

export const PCMU: CodecSpec = {
  encodingName: 'PCMU',
  clockRate: 8000,
  channels: 1,
  payloadType: 0,
};
export const PCMA: CodecSpec = {
  encodingName: 'PCMA',
  clockRate: 8000,
  channels: 1,
  payloadType: 8,
};
/** RFC 4733 §2.4.1: events 0-15 are the DTMF digits, 16 is flash. */
export const TELEPHONE_EVENT: CodecSpec = {
  encodingName: 'telephone-event',
  clockRate: 8000,
  channels: 1,
  payloadType: 101,
  fmtp: '0-16',
};
/** RFC 3551 §4.5.2: G.722 samples at 16 kHz but its RTP clock rate is 8000, for history. */
export const G722: CodecSpec = {
  encodingName: 'G722',
  clockRate: 8000,
  channels: 1,
  payloadType: 9,
};
/** RFC 7587 §7: Opus is always signalled as opus/48000/2, whatever it actually carries. */
export const OPUS: CodecSpec = {
  encodingName: 'opus',
  clockRate: 48000,
  channels: 2,
  payloadType: 111,
  fmtp: 'minptime=10;useinbandfec=1',
};
/** RFC 4733 §7.1.1: telephone-event's clock rate must match the voice codec's (Opus: 48000). */
export const TELEPHONE_EVENT_48000: CodecSpec = {
  ...TELEPHONE_EVENT,
  clockRate: 48000,
  payloadType: 110,
};

/** RFC 3551 §6, Table 4 and 5: payload types that need no rtpmap (audio and video). */
const staticPayloadTypes: ReadonlyMap<number, RtpCodec> = new Map(
  (
    [
      [0, 'PCMU', 8000],
      [3, 'GSM', 8000],
      [4, 'G723', 8000],
      [5, 'DVI4', 8000],
      [6, 'DVI4', 16000],
      [7, 'LPC', 8000],
      [8, 'PCMA', 8000],
      [9, 'G722', 8000],
      [10, 'L16', 44100, 2],
      [11, 'L16', 44100],
      [12, 'QCELP', 8000],
      [13, 'CN', 8000],
      [14, 'MPA', 90000],
      [15, 'G728', 8000],
      [16, 'DVI4', 11025],
      [17, 'DVI4', 22050],
      [18, 'G729', 8000],
      [25, 'CelB', 90000],
      [26, 'JPEG', 90000],
      [28, 'nv', 90000],
      [31, 'H261', 90000],
      [32, 'MPV', 90000],
      [33, 'MP2T', 90000],
      [34, 'H263', 90000],
    ] as const
  ).map(([pt, encodingName, clockRate, channels = 1]) => [
    pt,
    { encodingName, clockRate, channels },
  ]),
);

/**
 * What an RTP format of an m= line stands for: its rtpmap if there is one (§6.6), else
 * the RFC 3551 static assignment; undefined for an unknown dynamic type without rtpmap.
 */
export function resolveFormat(media: MediaDescription, format: string): ResolvedFormat | undefined {
  const payloadType = Number(format);
  if (!Number.isInteger(payloadType)) return undefined;
  const rtpmap = findRtpmap(media.attributes, payloadType);
  const codec: RtpCodec | undefined = rtpmap
    ? {
        encodingName: rtpmap.encodingName,
        clockRate: rtpmap.clockRate,
        channels: rtpmap.encodingParameters ?? 1,
      }
    : staticPayloadTypes.get(payloadType);
  if (!codec) return undefined;
  const fmtp = findFmtp(media.attributes, format);
  return { ...codec, payloadType, ...(fmtp ? { fmtp: fmtp.parameters } : {}) };
}

/** Encoding names are case-insensitive (RFC 4855 §3); rate and channels must agree. */
export function sameCodec(a: RtpCodec, b: RtpCodec): boolean {
  return (
    a.encodingName.toLowerCase() === b.encodingName.toLowerCase() &&
    a.clockRate === b.clockRate &&
    a.channels === b.channels
  );
}

export function isTelephoneEvent(codec: RtpCodec): boolean {
  return codec.encodingName.toLowerCase() === 'telephone-event';
}

/** RFC 3551 §3: 96–127 are dynamic; the rest of 0–127 are static or reserved. */
export function isDynamicPayloadType(payloadType: number): boolean {
  return payloadType >= 96 && payloadType <= 127;
}
