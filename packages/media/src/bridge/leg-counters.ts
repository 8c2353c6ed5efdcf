import { type RtpStreamStats } from '../session/stream-stats.ts';

/**
 * One leg of a relay bridge as statistics: the leg's RTP session (what its phone sent us
 * and what we sent it, session/stream-stats.ts) and what the bridge did with the packets
 * that phone sent. Plain JSON, stored with the call like the session statistics.
 */
export interface BridgeLegStats {
  readonly rtp: RtpStreamStats;
  /** Packets from this leg's phone sent on to the other leg. */
  readonly relayed: number;
  /** Of those, voice packets converted to the other leg's codec. */
  readonly transcoded: number;
  /**
   * Packets that came with a sequence number not after the previous one of their source
   * (late or duplicated; RFC 3550 A.1 counts them as received and the bridge relays them).
   */
  readonly reordered: number;
  /** Packets from this leg's phone that were not relayed, by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Relayed packets the other leg's socket refused. */
  readonly sendFailures: number;
}

export type DropReason =
  /** The other leg's phone is on hold: its SDP says sendonly or inactive. */
  | 'hold'
  /** A telephone-event the other leg did not negotiate (no in-band regeneration yet). */
  | 'events'
  /** Before both legs' offer/answer completed (early media towards a ringing phone). */
  | 'unconfigured'
  /** Different codecs with no transcoding path between them. */
  | 'untranscodable'
  /** The other leg has no address yet: neither its SDP nor a latched packet gave one. */
  | 'noRemote';

const SEQ_MOD = 0x1_0000;

export class LegCounters {
  relayed = 0;
  transcoded = 0;
  sendFailures = 0;
  private reordered = 0;
  private readonly dropped: Record<DropReason, number> = {
    hold: 0,
    events: 0,
    unconfigured: 0,
    untranscodable: 0,
    noRemote: 0,
  };
  private last: { readonly ssrc: number; readonly sequence: number } | null = null;

  drop(reason: DropReason): void {
    this.dropped[reason]++;
  }

  /** Serial-number comparison (RFC 1982 style): a step of 0 or back is out of order. */
  noteSequence(ssrc: number, sequence: number): void {
    const last = this.last;
    if (last !== null && last.ssrc === ssrc) {
      const step = (sequence - last.sequence + SEQ_MOD) % SEQ_MOD;
      if (step === 0 || step >= SEQ_MOD / 2) {
        this.reordered++;
        return;
      }
    }
    this.last = { ssrc, sequence };
  }

  snapshot(rtp: RtpStreamStats): BridgeLegStats {
    return {
      rtp,
      relayed: this.relayed,
      transcoded: this.transcoded,
      reordered: this.reordered,
      dropped: { ...this.dropped },
      sendFailures: this.sendFailures,
    };
  }
}
