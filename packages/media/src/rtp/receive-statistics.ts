import { JitterEstimator } from './jitter.ts';
import { type SequenceVerdict, SequenceValidator } from './sequence.ts';

/**
 * What a receiver knows about the stream it gets (RFC 3550 §6.4.1, Appendix A.1, A.3,
 * A.8), one source at a time. A packet with another SSRC starts a new source on
 * probation (A.1); once it proves itself it replaces the old one and its counters start
 * from zero — a phone that restarts, or a call transferred behind a B2BUA, is a new
 * source with its own numbering. Totals for the leg add up every source it had.
 */
export interface ReceivedRtpPacket {
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  /** Payload octets, without header and padding (as §6.4.1 counts octets). */
  readonly payloadOctets: number;
  /**
   * The payload's RTP clock rate, or null for packets whose timestamps do not advance
   * with arrival (RFC 4733 events keep the event's start time), left out of jitter.
   */
  readonly clockRate: number | null;
}

/** The values of one reception report block (§6.4.1), for the current source. */
export interface ReceptionReport {
  readonly ssrc: number;
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
  /** Interarrival jitter in RTP timestamp units. */
  readonly jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR from this source, or 0. */
  readonly lastSenderReport: number;
  /** Delay since that SR, in units of 1/65536 s, or 0 when none was received. */
  readonly delaySinceLastSenderReport: number;
}

export interface ReceiveTotals {
  /** SSRC of the current source, null before any source passed probation. */
  readonly ssrc: number | null;
  readonly packets: number;
  readonly octets: number;
  readonly expected: number;
  readonly lost: number;
  /** Fraction lost over the last report interval (A.3), 0..1. */
  readonly fractionLost: number;
  readonly jitterMs: number;
  /** How many times a new SSRC replaced the previous one. */
  readonly ssrcChanges: number;
}

class SourceStatistics {
  readonly sequence: SequenceValidator;
  jitter: JitterEstimator | null = null;
  octets = 0;
  lastFractionLost = 0;
  lastSenderReport: { readonly ntpMiddle: number; readonly arrivalMs: number } | null = null;

  constructor(
    readonly ssrc: number,
    firstSequence: number,
  ) {
    this.sequence = new SequenceValidator(firstSequence);
  }

  receive(packet: ReceivedRtpPacket, arrivalMs: number): SequenceVerdict {
    const verdict = this.sequence.update(packet.sequenceNumber);
    if (verdict !== 'valid') return verdict;
    this.octets += packet.payloadOctets;
    if (packet.clockRate !== null) {
      this.jitter ??= new JitterEstimator(packet.clockRate);
      this.jitter.update(arrivalMs, packet.timestamp);
    }
    return verdict;
  }
}

const MAX_LOST = 0x7f_ffff;
const MIN_LOST = -0x80_0000;

export class RtpReceiveStatistics {
  private current: SourceStatistics | null = null;
  private candidate: SourceStatistics | null = null;
  private retired = { packets: 0, octets: 0, expected: 0, lost: 0 };
  private ssrcChanges = 0;

  /** Counts one packet; only packets answered `valid` should be played out (A.1). */
  receive(packet: ReceivedRtpPacket, arrivalMs: number): SequenceVerdict {
    if (this.current?.ssrc === packet.ssrc) return this.current.receive(packet, arrivalMs);
    if (this.candidate?.ssrc !== packet.ssrc) {
      this.candidate = new SourceStatistics(packet.ssrc, packet.sequenceNumber);
    }
    const candidate = this.candidate;
    const verdict = candidate.receive(packet, arrivalMs);
    if (verdict === 'valid') {
      const previous = this.current;
      if (previous !== null) {
        this.retired = {
          packets: this.retired.packets + previous.sequence.received,
          octets: this.retired.octets + previous.octets,
          expected: this.retired.expected + previous.sequence.expected,
          lost: this.retired.lost + previous.sequence.cumulativeLost,
        };
        this.ssrcChanges++;
      }
      this.current = candidate;
      this.candidate = null;
    }
    return verdict;
  }

  get currentSsrc(): number | null {
    return this.current?.ssrc ?? null;
  }

  /** Remembers an SR from `ssrc` for the LSR/DLSR fields of our next report (§6.4.1). */
  noteSenderReport(ssrc: number, ntpMiddle: number, arrivalMs: number): void {
    if (this.current?.ssrc === ssrc) this.current.lastSenderReport = { ntpMiddle, arrivalMs };
  }

  /**
   * The report block for the current source, advancing the A.3 interval; null before a
   * source passed probation (§6.4.2: only sources heard since the last report).
   */
  takeReceptionReport(nowMs: number): ReceptionReport | null {
    const source = this.current;
    if (source === null) return null;
    const loss = source.sequence.takeLossReport();
    source.lastFractionLost = loss.fractionLost;
    const lastSr = source.lastSenderReport;
    return {
      ssrc: source.ssrc,
      fractionLost: loss.fractionLost,
      // §6.4.1: a signed 24-bit field; clamp rather than wrap.
      cumulativeLost: Math.max(MIN_LOST, Math.min(MAX_LOST, loss.cumulativeLost)),
      extendedHighestSequence: loss.extendedHighestSequence % 0x1_0000_0000,
      jitter: Math.floor(source.jitter?.timestampUnits ?? 0),
      lastSenderReport: lastSr?.ntpMiddle ?? 0,
      delaySinceLastSenderReport:
        lastSr === null
          ? 0
          : Math.min(0xffff_ffff, Math.round(((nowMs - lastSr.arrivalMs) * 65536) / 1000)),
    };
  }

  totals(): ReceiveTotals {
    const source = this.current;
    return {
      ssrc: source?.ssrc ?? null,
      packets: this.retired.packets + (source?.sequence.received ?? 0),
      octets: this.retired.octets + (source?.octets ?? 0),
      expected: this.retired.expected + (source?.sequence.expected ?? 0),
      lost: this.retired.lost + (source?.sequence.cumulativeLost ?? 0),
      fractionLost: (source?.lastFractionLost ?? 0) / 256,
      jitterMs: source?.jitter?.milliseconds ?? 0,
      ssrcChanges: this.ssrcChanges,
    };
  }
}
