import { isCodecError } from '../codec/codec-error.ts';
import { createDefaultCodecRegistry, type CodecKey } from '../codec/codec-registry.ts';
import { createPayloadTranscoder, type PayloadTranscoder } from '../codec/transcode.ts';
import { type RtpPacket } from '../rtp/rtp-packet.ts';
import { type LegFormat } from './leg-format.ts';
import { type LegSendResult, type MediaLeg } from './media-leg.ts';

/** Two legs joined: what each phone sends, the other hears, until `stop`. */
export interface LegRelay {
  stop(): void;
}

const registry = createDefaultCodecRegistry();

/**
 * Joins two legs so each phone hears the other (issue 4, item 7, the relay form of the
 * bridge). A voice packet passes through when both legs negotiated the same codec and is
 * transcoded when they did not (PCMU ↔ PCMA, codec/transcode.ts); RFC 4733 events pass
 * through with the receiving leg's payload type when both legs negotiated them, and are
 * dropped otherwise (regenerating them as in-band tones comes with the DTMF features).
 * What is dropped is counted on the leg it came from (bridge/leg-counters.ts).
 */
export function joinLegs(a: MediaLeg, b: MediaLeg): LegRelay {
  const forward = direction(a, b);
  const backward = direction(b, a);
  a.setReceiver(forward);
  b.setReceiver(backward);
  return {
    stop() {
      a.setReceiver(null);
      b.setReceiver(null);
    },
  };
}

/** The relay of packets from `from` to `to`, with its transcoder kept per pair of formats. */
function direction(from: MediaLeg, to: MediaLeg): (packet: RtpPacket) => void {
  let cached: {
    readonly inFormat: LegFormat;
    readonly outFormat: LegFormat;
    readonly transcoder: PayloadTranscoder | null | 'unsupported';
  } | null = null;
  const transcoderFor = (inFormat: LegFormat, outFormat: LegFormat) => {
    if (cached?.inFormat !== inFormat || cached.outFormat !== outFormat) {
      cached = { inFormat, outFormat, transcoder: transcoderBetween(inFormat, outFormat) };
    }
    return cached.transcoder;
  };
  return (packet) => {
    const counters = from.counters;
    counters.noteSequence(packet.ssrc, packet.sequenceNumber);
    const inFormat = from.format;
    const outFormat = to.format;
    if (inFormat === null || outFormat === null) {
      counters.drop('unconfigured');
      return;
    }
    const source = { ssrc: packet.ssrc, timestamp: packet.timestamp, marker: packet.marker };
    let result: LegSendResult;
    if (packet.payloadType === inFormat.telephoneEvent?.receivePayloadType) {
      result = to.send(source, { kind: 'event', payload: packet.payload });
    } else {
      const transcoder = transcoderFor(inFormat, outFormat);
      if (transcoder === 'unsupported') {
        counters.drop('untranscodable');
        return;
      }
      const payload =
        transcoder === null ? packet.payload : transcoder(Buffer.from(packet.payload));
      result = to.send(source, { kind: 'voice', payload });
      if (result === 'sent' && transcoder !== null) counters.transcoded++;
    }
    if (result === 'sent') counters.relayed++;
    else counters.drop(result === 'no_events' ? 'events' : result);
  };
}

function transcoderBetween(
  inFormat: LegFormat,
  outFormat: LegFormat,
): PayloadTranscoder | null | 'unsupported' {
  if (sameCodecKey(inFormat.codec, outFormat.codec)) return null;
  const decodeWith = registry.find(inFormat.codec);
  const encodeWith = registry.find(outFormat.codec);
  if (decodeWith === undefined || encodeWith === undefined) return 'unsupported';
  try {
    return createPayloadTranscoder(decodeWith, encodeWith);
  } catch (error) {
    if (isCodecError(error) && error.code === 'unsupported_transcoding') return 'unsupported';
    throw error;
  }
}

function sameCodecKey(a: CodecKey, b: CodecKey): boolean {
  return (
    a.encodingName.toLowerCase() === b.encodingName.toLowerCase() &&
    a.clockRate === b.clockRate &&
    (a.channels ?? 1) === (b.channels ?? 1)
  );
}
