import { createDefaultCodecRegistry } from '../codec/codec-registry.ts';
import { type AudioDecoder } from '../codec/codec.ts';
import { type LegFormat } from '../leg/leg-format.ts';
import { type MediaLeg } from '../leg/media-leg.ts';

const registry = createDefaultCodecRegistry();

/**
 * The audio a leg's phone sends, decoded to 8 kHz PCM, for recorders: a tap beside the
 * leg's receiver (a menu's key listener, a relay), so recording never takes packets away
 * from the call. Events and other payload types are skipped. Returns the way to stop.
 */
export function tapLegAudio(leg: MediaLeg, onAudio: (pcm: Int16Array) => void): () => void {
  let decoding: { format: LegFormat; decoder: AudioDecoder } | null = null;
  return leg.addTap((packet) => {
    const format = leg.format;
    if (format === null || packet.payloadType !== format.receivePayloadType) return;
    if (decoding?.format !== format) {
      const codec = registry.find(format.codec);
      if (codec === undefined || codec.pcmSampleRate !== 8000) return;
      decoding = { format, decoder: codec.createDecoder() };
    }
    onAudio(decoding.decoder.decode(Buffer.from(packet.payload)));
  });
}
