import type { BridgeLegFormat } from '@provod/media';
import type { NegotiatedStream } from '@provod/sip';

/** The phone sends media on the stream: it says sendrecv or sendonly, seen from Provod. */
export function receives(stream: NegotiatedStream): boolean {
  return stream.direction === 'sendrecv' || stream.direction === 'sendonly';
}

/**
 * What one leg's offer/answer settled, as the media engine's leg needs it. A hold address
 * (0.0.0.0, RFC 3264 §8.4) or none gives no remote: latching finds the phone later.
 */
export function legFormatOf(stream: NegotiatedStream): BridgeLegFormat {
  const address = stream.remoteAddress;
  const usable = address !== '' && address !== '0.0.0.0' && address !== '::';
  return {
    codec: {
      encodingName: stream.codec.encodingName,
      clockRate: stream.codec.clockRate,
      channels: stream.codec.channels,
    },
    sendPayloadType: stream.codec.payloadType,
    receivePayloadType: stream.receivePayloadType,
    telephoneEvent:
      stream.telephoneEvent === undefined
        ? null
        : {
            sendPayloadType: stream.telephoneEvent.payloadType,
            receivePayloadType: stream.telephoneEvent.receivePayloadType,
          },
    receiving: receives(stream),
    remote: usable ? { address, port: stream.remotePort } : null,
    remoteRtcp: usable ? { address, port: stream.remoteRtcpPort } : null,
  };
}
