import { type AudioCodec } from './codec.ts';
import { CodecError } from './codec-error.ts';
import { alawToMulaw, mulawToAlaw } from './g711.ts';

/** Turns one RTP payload of one codec into a payload of another. */
export type PayloadTranscoder = (payload: Buffer) => Buffer;

const isNamed = (codec: AudioCodec, name: string): boolean =>
  codec.encodingName.toLowerCase() === name.toLowerCase();

/**
 * A transcoder from `from` payloads to `to` payloads, for a bridge whose legs did not
 * agree on a codec. Between the two G.711 laws it is a direct 256-entry table (no linear
 * step per sample); otherwise it decodes to PCM and re-encodes, keeping one decoder and
 * one encoder for the stream so stateful codecs keep their state. Different PCM rates
 * would need a streaming resampler, which does not exist yet, so they are refused.
 */
export function createPayloadTranscoder(from: AudioCodec, to: AudioCodec): PayloadTranscoder {
  if (from === to) return (payload) => payload;
  if (isNamed(from, 'PCMU') && isNamed(to, 'PCMA')) return mulawToAlaw;
  if (isNamed(from, 'PCMA') && isNamed(to, 'PCMU')) return alawToMulaw;
  if (from.pcmSampleRate !== to.pcmSampleRate || from.channels !== to.channels) {
    throw new CodecError(
      'unsupported_transcoding',
      `${from.encodingName}/${from.pcmSampleRate}/${from.channels} → ` +
        `${to.encodingName}/${to.pcmSampleRate}/${to.channels} needs resampling or remixing`,
    );
  }
  const decoder = from.createDecoder();
  const encoder = to.createEncoder();
  return (payload) => encoder.encode(decoder.decode(payload));
}
