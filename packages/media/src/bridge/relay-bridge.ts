import { type LegFormat } from '../leg/leg-format.ts';
import { joinLegs } from '../leg/leg-relay.ts';
import { MediaLeg } from '../leg/media-leg.ts';
import { tapLegAudio } from '../recorder/leg-audio.ts';
import { type RtpPortPool } from '../session/port-pool.ts';
import { type RtpSessionError } from '../session/session-error.ts';
import { type BridgeLegStats } from './leg-counters.ts';

/**
 * Two RTP sessions joined so that what one phone sends, the other hears: the relay form
 * of the media engine's bridge (issue 4, item 7) — two media legs (leg/media-leg.ts)
 * joined for the whole call (leg/leg-relay.ts). Provod terminates RTP on each leg
 * (timestamp-rewriter.ts explains the SSRC, sequence and timestamp choices); a leg whose
 * phone does not want media (its SDP says sendonly or inactive, RFC 3264 §5.1 — hold)
 * gets nothing. RTCP is not relayed: each session reports on its own leg (§6), so the
 * statistics of both legs are Provod's own.
 */
export type BridgeSide = 'a' | 'b';

/** What one leg's offer/answer settled (the bridge's name for leg/leg-format.ts's type). */
export type BridgeLegFormat = LegFormat;

export interface RelayBridgeOptions {
  readonly pool: RtpPortPool;
  readonly bindAddress: string;
  /** RTCP SDES CNAME of both sessions (RFC 3550 §6.5.1). */
  readonly cname: string;
  readonly clock?: { readonly now: () => number; readonly unixNow: () => number };
  readonly onMediaTimeout: (side: BridgeSide, silentForMs: number) => void;
  readonly onError: (side: BridgeSide, error: RtpSessionError) => void;
}

export class RelayBridge {
  /** Opens both legs (two port pairs); if the second fails, the first is closed. */
  static async open(options: RelayBridgeOptions): Promise<RelayBridge> {
    const open = (side: BridgeSide) =>
      MediaLeg.open({
        pool: options.pool,
        bindAddress: options.bindAddress,
        cname: options.cname,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        onMediaTimeout: (silentFor) => options.onMediaTimeout(side, silentFor),
        onError: (error) => options.onError(side, error),
      });
    const a = await open('a');
    let b: MediaLeg;
    try {
      b = await open('b');
    } catch (error) {
      await a.close();
      throw error;
    }
    joinLegs(a, b);
    return new RelayBridge({ a, b });
  }

  private constructor(private readonly legs: Record<BridgeSide, MediaLeg>) {}

  /** The local RTP port of a leg: what Provod writes in the SDP it sends that leg's phone. */
  localPort(side: BridgeSide): number {
    return this.legs[side].localPort;
  }

  /** A leg's offer/answer completed (again: a re-INVITE changes codec, address or hold). */
  configure(side: BridgeSide, format: BridgeLegFormat): void {
    this.legs[side].configure(format);
  }

  /** Arms (milliseconds) or disarms (null) both sessions' media timeout. */
  setMediaTimeout(timeoutMs: number | null): void {
    this.legs.a.setMediaTimeout(timeoutMs);
    this.legs.b.setMediaTimeout(timeoutMs);
  }

  /** The audio a leg's phone sends, decoded (a recorder's tap); returns the way to stop. */
  tapAudio(side: BridgeSide, onAudio: (pcm: Int16Array) => void): () => void {
    return tapLegAudio(this.legs[side], onAudio);
  }

  stats(): Record<BridgeSide, BridgeLegStats> {
    return { a: this.legs.a.stats(), b: this.legs.b.stats() };
  }

  /** Closes both sessions (RTCP BYE) and returns their ports to the pool. */
  async close(): Promise<void> {
    await Promise.all([this.legs.a.close(), this.legs.b.close()]);
  }
}
