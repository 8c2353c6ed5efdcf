import { type CodecKey } from '../codec/codec-registry.ts';
import { type MediaAddress } from '../session/latch.ts';

/** What one leg's offer/answer settled, as the media engine needs it. */
export interface LegFormat {
  /** The voice codec, as its rtpmap names it. */
  readonly codec: CodecKey & { readonly clockRate: number };
  /** The payload type to send it with (the phone's number) and the one the phone sends. */
  readonly sendPayloadType: number;
  readonly receivePayloadType: number;
  /** RFC 4733 events, when this leg negotiated them. */
  readonly telephoneEvent: {
    readonly sendPayloadType: number;
    readonly receivePayloadType: number;
  } | null;
  /** The phone wants media: its SDP says sendrecv or recvonly. */
  readonly receiving: boolean;
  /** The SDP's address: a first guess, latching corrects it (session/latch.ts). */
  readonly remote: MediaAddress | null;
  readonly remoteRtcp: MediaAddress | null;
}
