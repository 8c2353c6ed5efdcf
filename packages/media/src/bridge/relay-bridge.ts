import { randomBytes } from 'node:crypto';
import { type AudioCodec } from '../codec/codec.ts';
import { createDefaultCodecRegistry, type CodecKey } from '../codec/codec-registry.ts';
import { isCodecError } from '../codec/codec-error.ts';
import { createPayloadTranscoder, type PayloadTranscoder } from '../codec/transcode.ts';
import { type RtpPacket } from '../rtp/rtp-packet.ts';
import { type MediaAddress } from '../session/latch.ts';
import { type RtpPortPool } from '../session/port-pool.ts';
import { type PayloadFormat, RtpSession } from '../session/rtp-session.ts';
import { isRtpSessionError, RtpSessionError } from '../session/session-error.ts';
import { type BridgeLegStats, LegCounters } from './leg-counters.ts';
import { TimestampRewriter } from './timestamp-rewriter.ts';

/**
 * Two RTP sessions joined so that what one phone sends, the other hears: the relay form
 * of the media engine's bridge (issue 4, item 7). Provod terminates RTP on each leg
 * (timestamp-rewriter.ts explains the SSRC, sequence and timestamp choices); between the
 * legs a voice packet is passed through when both negotiated the same codec and
 * transcoded when they did not (PCMU ↔ PCMA, codec/transcode.ts). RFC 4733
 * telephone-events are passed through with the receiving leg's payload type when both
 * legs negotiated them, and dropped otherwise (regenerating them as in-band tones comes
 * with the DTMF features). A leg whose phone does not want media (its SDP says sendonly
 * or inactive, RFC 3264 §5.1 — hold) gets nothing. RTCP is not relayed: each session
 * reports on its own leg (§6), so the statistics of both legs are Provod's own.
 */
export type BridgeSide = 'a' | 'b';

/** What one leg's offer/answer settled, as the bridge needs it. */
export interface BridgeLegFormat {
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

export interface RelayBridgeOptions {
  readonly pool: RtpPortPool;
  readonly bindAddress: string;
  /** RTCP SDES CNAME of both sessions (RFC 3550 §6.5.1). */
  readonly cname: string;
  readonly clock?: { readonly now: () => number; readonly unixNow: () => number };
  readonly onMediaTimeout: (side: BridgeSide, silentForMs: number) => void;
  readonly onError: (side: BridgeSide, error: RtpSessionError) => void;
}

interface Leg {
  readonly session: RtpSession;
  /** The session reads this map per packet; the bridge refills it when the leg changes. */
  readonly payloadTypes: Map<number, PayloadFormat>;
  readonly counters: LegCounters;
  format: BridgeLegFormat | null;
  /** Timestamps of the stream sent to this leg's phone. */
  rewriter: TimestampRewriter | null;
}

const systemClock = { now: () => performance.timeOrigin + performance.now(), unixNow: Date.now };
const registry = createDefaultCodecRegistry();

export class RelayBridge {
  private readonly legs: Record<BridgeSide, Leg>;
  /** Voice payload transcoders by direction; null when the codecs are the same. */
  private transcoders: Record<BridgeSide, PayloadTranscoder | null | 'unsupported'> = {
    a: null,
    b: null,
  };
  private readonly now: () => number;

  /** Opens both sessions (two port pairs); if the second fails, the first is closed. */
  static async open(options: RelayBridgeOptions): Promise<RelayBridge> {
    const clock = options.clock ?? systemClock;
    const tables = { a: new Map<number, PayloadFormat>(), b: new Map<number, PayloadFormat>() };
    let bridge: RelayBridge | null = null;
    const open = (side: BridgeSide) =>
      RtpSession.open({
        pool: options.pool,
        bindAddress: options.bindAddress,
        remote: null,
        payloadTypes: tables[side],
        cname: options.cname,
        // Off until call control arms it: a ringing call sends no media.
        mediaTimeoutMs: null,
        clock,
        handlers: {
          onPacket: (packet) => bridge?.relay(side, packet),
          onMediaTimeout: (silentFor) => options.onMediaTimeout(side, silentFor),
          onError: (error) => options.onError(side, error),
        },
      });
    const a = await open('a');
    let b: RtpSession;
    try {
      b = await open('b');
    } catch (error) {
      await a.close();
      throw error;
    }
    bridge = new RelayBridge(a, b, tables, clock.now, options.onError);
    return bridge;
  }

  private constructor(
    a: RtpSession,
    b: RtpSession,
    tables: Record<BridgeSide, Map<number, PayloadFormat>>,
    now: () => number,
    private readonly onError: RelayBridgeOptions['onError'],
  ) {
    const leg = (session: RtpSession, payloadTypes: Map<number, PayloadFormat>): Leg => ({
      session,
      payloadTypes,
      counters: new LegCounters(),
      format: null,
      rewriter: null,
    });
    this.legs = { a: leg(a, tables.a), b: leg(b, tables.b) };
    this.now = now;
  }

  /** The local RTP port of a leg: what Provod writes in the SDP it sends that leg's phone. */
  localPort(side: BridgeSide): number {
    return this.legs[side].session.localPort;
  }

  /** A leg's offer/answer completed (again: a re-INVITE changes codec, address or hold). */
  configure(side: BridgeSide, format: BridgeLegFormat): void {
    const leg = this.legs[side];
    const previous = leg.format;
    leg.format = format;
    leg.payloadTypes.clear();
    leg.payloadTypes.set(format.receivePayloadType, {
      clockRate: format.codec.clockRate,
      timing: 'audio',
    });
    if (format.telephoneEvent !== null) {
      leg.payloadTypes.set(format.telephoneEvent.receivePayloadType, {
        clockRate: format.codec.clockRate,
        timing: 'event',
      });
    }
    // Latching starts again only when the address really changed (latch.ts).
    if (format.remote !== null && !sameAddress(previous?.remote ?? null, format.remote)) {
      leg.session.setRemote(format.remote, format.remoteRtcp);
    }
    if (leg.rewriter === null || previous?.codec.clockRate !== format.codec.clockRate) {
      leg.rewriter = new TimestampRewriter(format.codec.clockRate, this.now, randomTimestamp());
    }
    this.transcoders = { a: this.transcoderFrom('a'), b: this.transcoderFrom('b') };
  }

  /** Arms (milliseconds) or disarms (null) both sessions' media timeout. */
  setMediaTimeout(timeoutMs: number | null): void {
    this.legs.a.session.setMediaTimeout(timeoutMs);
    this.legs.b.session.setMediaTimeout(timeoutMs);
  }

  stats(): Record<BridgeSide, BridgeLegStats> {
    return {
      a: this.legs.a.counters.snapshot(this.legs.a.session.stats()),
      b: this.legs.b.counters.snapshot(this.legs.b.session.stats()),
    };
  }

  /** Closes both sessions (RTCP BYE) and returns their ports to the pool. */
  async close(): Promise<void> {
    await Promise.all([this.legs.a.session.close(), this.legs.b.session.close()]);
  }

  private relay(from: BridgeSide, packet: RtpPacket): void {
    const to: BridgeSide = from === 'a' ? 'b' : 'a';
    const source = this.legs[from];
    const target = this.legs[to];
    source.counters.noteSequence(packet.ssrc, packet.sequenceNumber);
    const inFormat = source.format;
    const outFormat = target.format;
    if (inFormat === null || outFormat === null || target.rewriter === null) {
      source.counters.drop('unconfigured');
      return;
    }
    if (!outFormat.receiving) {
      source.counters.drop('hold');
      return;
    }
    if (target.session.remote === null) {
      source.counters.drop('noRemote');
      return;
    }
    const outgoing = this.translate(from, packet, inFormat, outFormat);
    if (outgoing === null) return;
    const { timestamp, newEpoch } = target.rewriter.rewrite(packet.ssrc, packet.timestamp);
    source.counters.relayed++;
    target.session
      .send({ ...outgoing, timestamp, marker: packet.marker || newEpoch })
      .catch((error: unknown) => this.reportSendFailure(to, error));
  }

  /** The payload type and payload for the other leg, or null (counted) when dropped. */
  private translate(
    from: BridgeSide,
    packet: RtpPacket,
    inFormat: BridgeLegFormat,
    outFormat: BridgeLegFormat,
  ): { payloadType: number; payload: Uint8Array } | null {
    const counters = this.legs[from].counters;
    if (packet.payloadType === inFormat.telephoneEvent?.receivePayloadType) {
      if (outFormat.telephoneEvent === null) {
        counters.drop('events');
        return null;
      }
      return { payloadType: outFormat.telephoneEvent.sendPayloadType, payload: packet.payload };
    }
    const transcoder = this.transcoders[from];
    if (transcoder === 'unsupported') {
      counters.drop('untranscodable');
      return null;
    }
    if (transcoder === null) {
      return { payloadType: outFormat.sendPayloadType, payload: packet.payload };
    }
    counters.transcoded++;
    return {
      payloadType: outFormat.sendPayloadType,
      payload: transcoder(Buffer.from(packet.payload)),
    };
  }

  private transcoderFrom(from: BridgeSide): PayloadTranscoder | null | 'unsupported' {
    const inFormat = this.legs[from].format;
    const outFormat = this.legs[from === 'a' ? 'b' : 'a'].format;
    if (inFormat === null || outFormat === null) return null;
    if (sameCodecKey(inFormat.codec, outFormat.codec)) return null;
    const decodeWith = findCodec(inFormat.codec);
    const encodeWith = findCodec(outFormat.codec);
    if (decodeWith === undefined || encodeWith === undefined) return 'unsupported';
    try {
      return createPayloadTranscoder(decodeWith, encodeWith);
    } catch (error) {
      if (isCodecError(error) && error.code === 'unsupported_transcoding') return 'unsupported';
      throw error;
    }
  }

  private reportSendFailure(to: BridgeSide, error: unknown): void {
    const failure = isRtpSessionError(error)
      ? error
      : new RtpSessionError('send_failed', 'relayed RTP not sent', { cause: error });
    this.legs[to].counters.sendFailures++;
    this.onError(to, failure);
  }
}

function findCodec(key: CodecKey): AudioCodec | undefined {
  return registry.find(key);
}

function sameCodecKey(a: CodecKey, b: CodecKey): boolean {
  return (
    a.encodingName.toLowerCase() === b.encodingName.toLowerCase() &&
    a.clockRate === b.clockRate &&
    (a.channels ?? 1) === (b.channels ?? 1)
  );
}

function sameAddress(a: MediaAddress | null, b: MediaAddress): boolean {
  return a !== null && a.address === b.address && a.port === b.port;
}

/** RFC 3550 §5.1: the initial timestamp is random. */
function randomTimestamp(): number {
  return randomBytes(4).readUInt32BE(0);
}
