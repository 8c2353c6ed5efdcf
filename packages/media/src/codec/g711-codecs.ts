import { type AudioCodec, type AudioDecoder, type AudioEncoder } from './codec.ts';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from './g711.ts';

// G.711 has no memory between samples, so one encoder/decoder object serves every stream.
const pcmuCoder: AudioEncoder & AudioDecoder = { encode: encodeMulaw, decode: decodeMulaw };
const pcmaCoder: AudioEncoder & AudioDecoder = { encode: encodeAlaw, decode: decodeAlaw };

/** G.711 µ-law, RFC 3551 §4.5.14: static payload type 0, 8000 Hz, one byte per sample. */
export const PCMU_CODEC: AudioCodec = {
  encodingName: 'PCMU',
  staticPayloadType: 0,
  clockRate: 8000,
  pcmSampleRate: 8000,
  channels: 1,
  frameDurationMs: 20,
  createEncoder: () => pcmuCoder,
  createDecoder: () => pcmuCoder,
};

/** G.711 A-law, RFC 3551 §4.5.14: static payload type 8, 8000 Hz, one byte per sample. */
export const PCMA_CODEC: AudioCodec = {
  encodingName: 'PCMA',
  staticPayloadType: 8,
  clockRate: 8000,
  pcmSampleRate: 8000,
  channels: 1,
  frameDurationMs: 20,
  createEncoder: () => pcmaCoder,
  createDecoder: () => pcmaCoder,
};
