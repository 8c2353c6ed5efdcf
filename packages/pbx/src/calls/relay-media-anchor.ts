import { randomInt } from 'node:crypto';
import {
  isRtpSessionError,
  RelayBridge,
  RtpSessionError,
  type BridgeSide,
  RtpPortPool,
  type RtpPortRange,
} from '@provod/media';
import {
  negotiatedAudio,
  parseSdp,
  SdpNegotiationError,
  SdpParseError,
  serializeSdp,
  type NegotiatedStream,
  type SdpOrigin,
  type SessionDescription,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { otherSide, type CallSide } from './call-party.ts';
import type {
  CallMedia,
  CallMediaStats,
  MediaAnchor,
  MediaOpening,
  SdpRole,
} from './media-anchor.ts';
import { legFormatOf, receives } from './leg-format.ts';
import { anchorSdp, isRelayable } from './sdp-rewrite.ts';

export interface RelayMediaAnchorOptions {
  /**
   * The RTP ports, a pool or a range (inclusive) to make one from; a call takes two pairs
   * (media/session/port-pool.ts). A shared pool lets other media users draw from it too.
   */
  readonly rtpPorts: RtpPortRange | RtpPortPool;
  /** The local address RTP sockets bind to. */
  readonly bindAddress: string;
  /** The host Provod writes in c= and o= (the SIP advertised host). */
  readonly advertisedHost: string;
  /** No RTP for this long ends an answered call; null: never. */
  readonly mediaTimeoutMs: number | null;
  readonly onError: (error: RtpSessionError) => void;
}

/**
 * Anchors every call whose SDP the relay can carry (sdp-rewrite.ts): two RTP sessions
 * per call, one facing each phone, joined by @provod/media's RelayBridge.
 */
export function createRelayMediaAnchor(
  options: RelayMediaAnchorOptions,
): MediaAnchor & { readonly pool: RtpPortPool } {
  const pool =
    options.rtpPorts instanceof RtpPortPool ? options.rtpPorts : new RtpPortPool(options.rtpPorts);
  return {
    pool,
    async open(invite) {
      const offer = sdpOf(invite);
      if (offer === 'not_sdp' || (offer !== 'none' && !isRelayable(offer))) {
        return { kind: 'opened', media: new AnchoredCallMedia(null, options) };
      }
      let bridge: RelayBridge;
      try {
        bridge = await RelayBridge.open({
          pool,
          bindAddress: options.bindAddress,
          cname: `provod@${options.advertisedHost}`,
          onMediaTimeout: () => media.mediaStopped(),
          onError: (_side, error) => options.onError(error),
        });
      } catch (error) {
        if (isRtpSessionError(error) && error.code === 'ports_exhausted') {
          return { kind: 'exhausted' } satisfies MediaOpening;
        }
        throw error;
      }
      const media = new AnchoredCallMedia(bridge, options);
      return { kind: 'opened', media };
    },
  };
}

/** The caller's leg is the bridge's side a, the callee's side b. */
const bridgeSide = (side: CallSide): BridgeSide => (side === 'caller' ? 'a' : 'b');

/** An offer on its way, as its writer sent it and as Provod passed it on. */
interface PendingOffer {
  readonly offerer: CallSide;
  readonly fromPhone: SessionDescription;
  readonly passedOn: SessionDescription;
}

/** What Provod last wrote to one phone: its o= line (RFC 3264 §8: version + 1 on change). */
interface OriginState {
  readonly origin: SdpOrigin;
  lastBody: string | undefined;
}

type MediaState =
  | { readonly kind: 'anchored'; readonly bridge: RelayBridge }
  | { readonly kind: 'pass_through' }
  | { readonly kind: 'closed' };

class AnchoredCallMedia implements CallMedia {
  private state: MediaState;
  /** Kept after close: the statistics of the call's last moment. */
  private readonly bridge: RelayBridge | null;
  private pending: PendingOffer | undefined;
  private rewroteAny = false;
  private readonly origins: Record<CallSide, OriginState>;
  private readonly receiving: Record<CallSide, boolean> = { caller: true, callee: true };
  private onTimeout: (() => void) | undefined;

  constructor(
    bridge: RelayBridge | null,
    private readonly options: RelayMediaAnchorOptions,
  ) {
    this.bridge = bridge;
    this.state = bridge === null ? { kind: 'pass_through' } : { kind: 'anchored', bridge };
    const origin = (): OriginState => ({
      origin: {
        username: 'provod',
        sessionId: String(randomInt(1, 2 ** 47)),
        sessionVersion: 1n,
        netType: 'IN',
        addrType: 'IP4',
        unicastAddress: options.advertisedHost,
      },
      lastBody: undefined,
    });
    this.origins = { caller: origin(), callee: origin() };
  }

  relayBody(from: CallSide, message: SipRequest | SipResponse, role: SdpRole): Buffer {
    const state = this.state;
    if (state.kind !== 'anchored') return message.body;
    const sdp = sdpOf(message);
    if (sdp === 'none' || sdp === 'not_sdp') return message.body;
    if (!isRelayable(sdp)) {
      // The first SDP decides (a late offer's callee may be a browser): pass the call
      // through and give its ports back. Later, an anchored call stays anchored.
      if (!this.rewroteAny) this.passThrough(state.bridge);
      return message.body;
    }
    this.rewroteAny = true;
    const to = otherSide(from);
    const passedOn = this.rewrite(sdp, to, state.bridge.localPort(bridgeSide(to)));
    if (role === 'offer') {
      this.pending = { offerer: from, fromPhone: sdp, passedOn };
    } else if (this.pending?.offerer === to) {
      this.negotiated(state.bridge, this.pending, sdp, passedOn);
    }
    return Buffer.from(this.serialize(to, passedOn));
  }

  answered(onTimeout: () => void): void {
    this.onTimeout = onTimeout;
    this.applyTimeout();
  }

  /** A session's media timeout: the call ends once it is answered. */
  mediaStopped(): void {
    const onTimeout = this.onTimeout;
    if (this.state.kind !== 'anchored' || onTimeout === undefined) return;
    this.onTimeout = undefined;
    onTimeout();
  }

  tapAudio(side: CallSide, onAudio: (pcm: Int16Array) => void): (() => void) | undefined {
    if (this.state.kind !== 'anchored') return undefined;
    return this.state.bridge.tapAudio(bridgeSide(side), onAudio);
  }

  stats(): CallMediaStats | undefined {
    if (this.bridge === null || this.state.kind === 'pass_through') return undefined;
    const { a, b } = this.bridge.stats();
    return { caller: a, callee: b };
  }

  async close(): Promise<void> {
    const state = this.state;
    if (state.kind === 'closed') return;
    this.state = { kind: 'closed' };
    if (state.kind === 'anchored') await state.bridge.close();
  }

  private passThrough(bridge: RelayBridge): void {
    this.state = { kind: 'pass_through' };
    bridge
      .close()
      .catch((error: unknown) =>
        this.options.onError(
          isRtpSessionError(error)
            ? error
            : new RtpSessionError('socket_error', 'closing RTP sessions failed', { cause: error }),
        ),
      );
  }

  private rewrite(sdp: SessionDescription, to: CallSide, port: number): SessionDescription {
    const { origin } = this.origins[to];
    return anchorSdp(sdp, { host: this.options.advertisedHost, port }, origin);
  }

  /** RFC 3264 §8: the version goes up by one whenever what this phone gets changes. */
  private serialize(to: CallSide, sdp: SessionDescription): string {
    const state = this.origins[to];
    const version = state.origin.sessionVersion;
    let text = serializeSdp({ ...sdp, origin: { ...sdp.origin, sessionVersion: version } });
    if (state.lastBody !== undefined && text !== state.lastBody) {
      const next = version + 1n;
      state.origin.sessionVersion = next;
      text = serializeSdp({ ...sdp, origin: { ...sdp.origin, sessionVersion: next } });
    }
    state.lastBody = text;
    return text;
  }

  /**
   * An offer/answer completed. The offerer's leg: the offerer's own SDP and the answer
   * Provod gave it (Provod answered). The answerer's leg: the offer Provod passed on and
   * the phone's answer (Provod offered). Each leg's numbers and addresses are its own.
   */
  private negotiated(
    bridge: RelayBridge,
    pending: PendingOffer,
    answer: SessionDescription,
    answerPassedOn: SessionDescription,
  ): void {
    const offerer = pending.offerer;
    const answerer = otherSide(offerer);
    let legs: [NegotiatedStream, NegotiatedStream];
    try {
      legs = [
        negotiatedAudio(pending.fromPhone, answerPassedOn, 'answerer'),
        negotiatedAudio(pending.passedOn, answer, 'offerer'),
      ];
    } catch (error) {
      // The answer refused the audio stream: nothing to relay until a new offer.
      if (error instanceof SdpNegotiationError) return;
      throw error;
    }
    bridge.configure(bridgeSide(offerer), legFormatOf(legs[0]));
    bridge.configure(bridgeSide(answerer), legFormatOf(legs[1]));
    this.receiving[offerer] = receives(legs[0]);
    this.receiving[answerer] = receives(legs[1]);
    this.applyTimeout();
  }

  /**
   * On hold RTP may legitimately stop (a phone on hold often sends nothing), so the
   * timeout watches only while both phones take media.
   */
  private applyTimeout(): void {
    if (this.state.kind !== 'anchored' || this.onTimeout === undefined) return;
    const talking = this.receiving.caller && this.receiving.callee;
    this.state.bridge.setMediaTimeout(talking ? this.options.mediaTimeoutMs : null);
  }
}

/** The message's SDP; 'none' without a body; 'not_sdp' for other or unparsable bodies. */
function sdpOf(message: SipRequest | SipResponse): SessionDescription | 'none' | 'not_sdp' {
  if (message.body.length === 0) return 'none';
  const type = (message.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/sdp') return 'not_sdp';
  try {
    return parseSdp(message.body);
  } catch (error) {
    // A broken SDP is the phones' business: it is relayed as it is, and refused there.
    if (error instanceof SdpParseError) return 'not_sdp';
    throw error;
  }
}
