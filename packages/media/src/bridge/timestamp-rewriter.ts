/**
 * The timestamps of one outgoing relayed stream. Provod terminates RTP on each leg of a
 * bridged call, like an end system in each session (RFC 3550 §7.1: the two legs are two
 * RTP sessions joined by a translator): what a phone receives is Provod's stream, with
 * Provod's SSRC and Provod's sequence numbers (`RtpSession.send` numbers consecutively,
 * §5.1), whoever sends on the other leg.
 *
 * The timestamps must stay one consistent timeline for the phone's jitter buffer. Within
 * one source of the other leg (an "epoch"), the output timestamp is the input one plus a
 * fixed offset, so the sender's pacing, its silence gaps and its RFC 4733 event
 * timestamps (the key-down instant, RFC 4733 §2.5.1.2) come through exactly. When the
 * other leg's SSRC changes (the phone restarted its stream, a transfer put another phone
 * behind that leg) a new epoch starts: the new offset makes its first packet follow the
 * last one we sent by the wall-clock time that passed (at least one 20 ms frame), and the
 * packet carries the marker bit (RFC 3551 §4.1: first packet after a gap). Timestamps are
 * 32-bit and wrap (§5.1).
 */
export interface RewrittenTimestamp {
  readonly timestamp: number;
  /** The first packet of a new input source: send it with the marker bit. */
  readonly newEpoch: boolean;
}

const UINT32 = 0x1_0000_0000;
const MIN_GAP_MS = 20;

interface Epoch {
  readonly ssrc: number;
  /** Added to the input timestamp, modulo 2^32. */
  readonly offset: number;
}

export class TimestampRewriter {
  private epoch: Epoch | null = null;
  private last: { readonly timestamp: number; readonly atMs: number } | null = null;

  constructor(
    private readonly clockRate: number,
    private readonly now: () => number,
    /** Where the output timeline starts (RFC 3550 §5.1: random). */
    private readonly initialTimestamp: number,
  ) {}

  rewrite(ssrc: number, timestamp: number): RewrittenTimestamp {
    const nowMs = this.now();
    let newEpoch = false;
    if (this.epoch?.ssrc !== ssrc) {
      newEpoch = this.epoch !== null;
      this.epoch = { ssrc, offset: mod32(this.startOfEpoch(nowMs) - timestamp) };
    }
    const rewritten = mod32(timestamp + this.epoch.offset);
    this.last = { timestamp: rewritten, atMs: nowMs };
    return { timestamp: rewritten, newEpoch };
  }

  private startOfEpoch(nowMs: number): number {
    const last = this.last;
    if (last === null) return this.initialTimestamp;
    const elapsedMs = Math.max(MIN_GAP_MS, nowMs - last.atMs);
    return last.timestamp + Math.round((elapsedMs * this.clockRate) / 1000);
  }
}

function mod32(value: number): number {
  return ((value % UINT32) + UINT32) % UINT32;
}
