import { randomBytes } from 'node:crypto';
import { type BridgeLegStats, LegCounters } from '../bridge/leg-counters.ts';
import { TimestampRewriter } from '../bridge/timestamp-rewriter.ts';
import { type RtpPacket } from '../rtp/rtp-packet.ts';
import { type MediaAddress, sameAddress } from '../session/latch.ts';
import { type RtpPortPool } from '../session/port-pool.ts';
import { type PayloadFormat, RtpSession } from '../session/rtp-session.ts';
import { isRtpSessionError, RtpSessionError } from '../session/session-error.ts';
import { type LegFormat } from './leg-format.ts';

export interface MediaLegOptions {
  readonly pool: RtpPortPool;
  /** The local address to bind, e.g. '0.0.0.0' or the media interface. */
  readonly bindAddress: string;
  /** RTCP SDES CNAME (RFC 3550 §6.5.1). */
  readonly cname: string;
  readonly clock?: { readonly now: () => number; readonly unixNow: () => number };
  readonly onMediaTimeout: (silentForMs: number) => void;
  readonly onError: (error: RtpSessionError) => void;
}

/** Whoever consumes what the phone sends: a relay to another leg, a DTMF listener… */
export type LegReceiver = (packet: RtpPacket) => void;

/** A packet's source stream: its SSRC keys the leg's timestamp epochs. */
export interface LegSource {
  readonly ssrc: number;
  readonly timestamp: number;
  readonly marker: boolean;
}

export type LegSendResult = 'sent' | 'unconfigured' | 'hold' | 'noRemote' | 'no_events';

const systemClock = { now: () => performance.timeOrigin + performance.now(), unixNow: Date.now };

/**
 * One call leg's media: an RTP session facing one phone, with the format its offer/answer
 * settled. What the phone sends goes to one receiver at a time (a relay to another leg,
 * a DTMF listener, a recorder tap); what Provod sends it — relayed from another phone or
 * generated (a prompt) — goes out as one stream with Provod's SSRC and sequence numbers,
 * its timestamps rebased per source (bridge/timestamp-rewriter.ts) so switching from a
 * prompt to the other phone is one continuous timeline for the phone's jitter buffer.
 */
export class MediaLeg {
  readonly counters = new LegCounters();
  private receiver: LegReceiver | null = null;
  private readonly taps = new Set<LegReceiver>();
  private current: LegFormat | null = null;
  private rewriter: TimestampRewriter | null = null;
  private closed = false;

  static async open(options: MediaLegOptions): Promise<MediaLeg> {
    const clock = options.clock ?? systemClock;
    const payloadTypes = new Map<number, PayloadFormat>();
    let leg: MediaLeg | null = null;
    const session = await RtpSession.open({
      pool: options.pool,
      bindAddress: options.bindAddress,
      remote: null,
      payloadTypes,
      cname: options.cname,
      // Off until call control arms it: a ringing call sends no media.
      mediaTimeoutMs: null,
      clock,
      handlers: {
        onPacket: (packet) => leg?.deliver(packet),
        onMediaTimeout: (silentFor) => options.onMediaTimeout(silentFor),
        onError: (error) => options.onError(error),
      },
    });
    leg = new MediaLeg(session, payloadTypes, clock.now, options.onError);
    return leg;
  }

  private constructor(
    private readonly session: RtpSession,
    /** The session reads this map per packet; configure() refills it. */
    private readonly payloadTypes: Map<number, PayloadFormat>,
    private readonly now: () => number,
    private readonly onError: (error: RtpSessionError) => void,
  ) {}

  /** The local RTP port: what Provod writes in the SDP it sends this leg's phone. */
  get localPort(): number {
    return this.session.localPort;
  }

  get format(): LegFormat | null {
    return this.current;
  }

  get remote(): MediaAddress | null {
    return this.session.remote;
  }

  /** The leg's offer/answer completed (again: a re-INVITE changes codec, address or hold). */
  configure(format: LegFormat): void {
    const previous = this.current;
    this.current = format;
    this.payloadTypes.clear();
    this.payloadTypes.set(format.receivePayloadType, {
      clockRate: format.codec.clockRate,
      timing: 'audio',
    });
    if (format.telephoneEvent !== null) {
      this.payloadTypes.set(format.telephoneEvent.receivePayloadType, {
        clockRate: format.codec.clockRate,
        timing: 'event',
      });
    }
    // Latching starts again only when the address really changed (session/latch.ts).
    const before = previous?.remote ?? null;
    if (format.remote !== null && (before === null || !sameAddress(before, format.remote))) {
      this.session.setRemote(format.remote, format.remoteRtcp);
    }
    if (this.rewriter === null || previous?.codec.clockRate !== format.codec.clockRate) {
      this.rewriter = new TimestampRewriter(format.codec.clockRate, this.now, randomTimestamp());
    }
  }

  /** Arms (milliseconds) or disarms (null) the media timeout. */
  setMediaTimeout(timeoutMs: number | null): void {
    this.session.setMediaTimeout(timeoutMs);
  }

  /** The one consumer of the phone's packets from now on; null drops them. */
  setReceiver(receiver: LegReceiver | null): void {
    this.receiver = receiver;
  }

  /**
   * Also hands every packet to `tap` (a recorder), whoever the receiver is; returns the
   * way to remove it.
   */
  addTap(tap: LegReceiver): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }

  /**
   * Sends one packet of `source` to the phone, or says why not: before the offer/answer,
   * while the phone holds (it wants no media), before its address is known, or an event
   * on a leg without telephone-event.
   */
  send(
    source: LegSource,
    content: { readonly kind: 'voice' | 'event'; readonly payload: Uint8Array },
  ): LegSendResult {
    const format = this.current;
    const rewriter = this.rewriter;
    if (this.closed || format === null || rewriter === null) return 'unconfigured';
    if (!format.receiving) return 'hold';
    if (this.session.remote === null) return 'noRemote';
    const payloadType =
      content.kind === 'voice' ? format.sendPayloadType : format.telephoneEvent?.sendPayloadType;
    if (payloadType === undefined) return 'no_events';
    const { timestamp, newEpoch } = rewriter.rewrite(source.ssrc, source.timestamp);
    this.session
      .send({ payloadType, payload: content.payload, timestamp, marker: source.marker || newEpoch })
      .catch((error: unknown) => this.reportSendFailure(error));
    return 'sent';
  }

  stats(): BridgeLegStats {
    return this.counters.snapshot(this.session.stats());
  }

  /** Closes the session (RTCP BYE) and returns its ports to the pool. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.receiver = null;
    this.taps.clear();
    await this.session.close();
  }

  private deliver(packet: RtpPacket): void {
    this.receiver?.(packet);
    for (const tap of this.taps) tap(packet);
  }

  private reportSendFailure(error: unknown): void {
    this.counters.sendFailures++;
    this.onError(
      isRtpSessionError(error)
        ? error
        : new RtpSessionError('send_failed', 'RTP not sent', { cause: error }),
    );
  }
}

/** RFC 3550 §5.1: the initial timestamp is random. */
function randomTimestamp(): number {
  return randomBytes(4).readUInt32BE(0);
}
