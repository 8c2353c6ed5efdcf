import type { BridgeLegStats } from '@provod/media';
import type { SipRequest, SipResponse } from '@provod/sip';
import type { CallSide } from './call-party.ts';

/**
 * Where a bridged call's audio goes. With an anchor, Provod rewrites every SDP body the
 * B2BUA relays so that each phone sends its RTP to Provod, and relays it between the two
 * legs (relay-media-anchor.ts); without one the SDP passes unchanged and the phones talk
 * directly (passThroughMediaAnchor). Call control sees only this interface, so its tests
 * use a fake.
 */
export interface MediaAnchor {
  /**
   * Reserves media for a new call before its forks ring. `offer` is the caller's INVITE
   * (an empty body for a late offer). 'exhausted': no RTP ports left, the call is refused.
   */
  open(invite: SipRequest): Promise<MediaOpening>;
}

export type MediaOpening =
  { readonly kind: 'opened'; readonly media: CallMedia } | { readonly kind: 'exhausted' };

/** RFC 3264: every SDP body is an offer or the answer to the last offer. */
export type SdpRole = 'offer' | 'answer';

export interface CallMedia {
  /**
   * The body of a message from `from`'s phone, as the other phone must get it. Bodies
   * that are not SDP come back unchanged.
   */
  relayBody(from: CallSide, message: SipRequest | SipResponse, role: SdpRole): Buffer;
  /** The call was answered: from now on, media that stops ends it (`onTimeout`). */
  answered(onTimeout: () => void): void;
  /** Both legs' statistics, or undefined when the media is not anchored. */
  stats(): CallMediaStats | undefined;
  /**
   * The audio `side`'s phone sends, decoded, for a recorder; undefined when the media is
   * not anchored (phone to phone: Provod never sees it). Returns the way to stop.
   */
  tapAudio(side: CallSide, onAudio: (pcm: Int16Array) => void): (() => void) | undefined;
  /** Releases the call's ports. Idempotent; never rejects (failures go to the anchor's log). */
  close(): Promise<void>;
}

export interface CallMediaStats {
  readonly caller: BridgeLegStats;
  readonly callee: BridgeLegStats;
}

/** No anchoring: SDP and RTP go from phone to phone as they are. */
export const passThroughMediaAnchor: MediaAnchor = {
  open: async () => ({ kind: 'opened', media: passThroughMedia }),
};

export const passThroughMedia: CallMedia = {
  relayBody: (_from, message) => message.body,
  answered: () => undefined,
  stats: () => undefined,
  tapAudio: () => undefined,
  close: async () => undefined,
};
