import { createDefaultCodecRegistry } from '../codec/codec-registry.ts';
import { type AudioDecoder } from '../codec/codec.ts';
import { type LegFormat } from '../leg/leg-format.ts';
import { type MediaLeg } from '../leg/media-leg.ts';
import { type DtmfDigit } from './digits.ts';
import { isDtmfError } from './dtmf-error.ts';
import { InbandDtmfDetector } from './inband-detector.ts';
import { Rfc4733Receiver } from './rfc4733-receiver.ts';

export type DtmfVia = 'rfc4733' | 'inband';

const registry = createDefaultCodecRegistry();

/**
 * Keys a phone presses, from one leg's RTP: RFC 4733 events when the leg negotiated
 * telephone-event (each key once, on its first packet — redundant and end packets of the
 * same event are not new keys, §2.5.1.4), otherwise tones in the audio itself, decoded
 * and fed to the Goertzel detector (inband-detector.ts) — the fallback for trunks that
 * send neither events nor SIP INFO. Takes the leg's receiver until `stop`.
 */
export function listenForDtmf(
  leg: MediaLeg,
  onDigit: (digit: DtmfDigit, via: DtmfVia) => void,
  now: () => number = () => performance.now(),
): { stop(): void } {
  const events = new Rfc4733Receiver();
  let inband: { format: LegFormat; decoder: AudioDecoder; detector: InbandDtmfDetector } | null =
    null;
  leg.setReceiver((packet) => {
    const format = leg.format;
    if (format === null) return;
    if (format.telephoneEvent !== null) {
      if (packet.payloadType !== format.telephoneEvent.receivePayloadType) return;
      try {
        for (const output of events.receive(packet, now())) {
          if (output.kind === 'begin') onDigit(output.digit, 'rfc4733');
        }
      } catch (error) {
        // A malformed event packet is the phone's problem: it is not a key.
        if (!isDtmfError(error)) throw error;
      }
      return;
    }
    if (packet.payloadType !== format.receivePayloadType) return;
    if (inband?.format !== format) {
      const codec = registry.find(format.codec);
      if (codec === undefined || codec.pcmSampleRate !== 8000) return;
      inband = { format, decoder: codec.createDecoder(), detector: new InbandDtmfDetector() };
    }
    const pcm = inband.decoder.decode(Buffer.from(packet.payload));
    for (const detection of inband.detector.process(pcm)) onDigit(detection.digit, 'inband');
  });
  return { stop: () => leg.setReceiver(null) };
}
