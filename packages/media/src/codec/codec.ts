/**
 * What the media engine needs to know about an audio codec, and how it turns PCM into
 * RTP payloads and back.
 *
 * The descriptive fields use the names of RFC 8866 §6.6's rtpmap (encoding name, clock
 * rate, channels), the same shape as `RtpCodec` in @provod/sip's SDP module, so a
 * negotiated format and a codec compare field by field.
 *
 * Codecs with memory between frames (G.722's ADPCM predictors, Opus) get one encoder and
 * one decoder per stream direction through `createEncoder`/`createDecoder`; a stateless
 * codec such as G.711 may hand out the same object every time.
 */
export interface AudioCodec {
  /** The SDP encoding name as registered with IANA (RFC 3551 §6, RFC 4855 §3): "PCMU". */
  readonly encodingName: string;
  /**
   * The static payload type of RFC 3551 §6 Table 4, or undefined for codecs that are
   * only ever given a dynamic type (96–127) in SDP, such as Opus.
   */
  readonly staticPayloadType: number | undefined;
  /** The RTP timestamp clock rate (RFC 3550 §5.1), as written in a=rtpmap. */
  readonly clockRate: number;
  /**
   * The rate of the PCM that `encode` takes and `decode` returns. Usually the clock rate;
   * G.722 samples at 16 kHz but keeps an 8 kHz RTP clock (RFC 3551 §4.5.2), Opus is
   * always 48000 in SDP (RFC 7587 §4.1) whatever rate it runs at.
   */
  readonly pcmSampleRate: number;
  /** Channels as written in a=rtpmap (1 when absent). */
  readonly channels: number;
  /** The frame duration we send (RFC 3551 §4.5: 20 ms default packetization for G.711). */
  readonly frameDurationMs: number;
  createEncoder(): AudioEncoder;
  createDecoder(): AudioDecoder;
}

export interface AudioEncoder {
  /** One frame of interleaved 16-bit PCM at `pcmSampleRate` → one RTP payload. */
  encode(pcm: Int16Array): Buffer;
}

export interface AudioDecoder {
  /** One RTP payload → interleaved 16-bit PCM at `pcmSampleRate`. */
  decode(payload: Buffer): Int16Array;
}

/** Samples per channel in one frame of `codec`. */
export function samplesPerFrame(codec: AudioCodec): number {
  return (codec.pcmSampleRate * codec.frameDurationMs) / 1000;
}

/** RTP timestamp units one frame of `codec` advances (RFC 3550 §5.1). */
export function timestampUnitsPerFrame(codec: AudioCodec): number {
  return (codec.clockRate * codec.frameDurationMs) / 1000;
}
