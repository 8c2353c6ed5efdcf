/**
 * RTP sequence number validation and loss counting, RFC 3550 Appendix A.1 and A.3.
 *
 * A new source is on probation until MIN_SEQUENTIAL packets arrive in sequence; then a
 * forward step below MAX_DROPOUT advances the highest sequence number (counting a cycle
 * when the 16-bit number wraps), a step back within MAX_MISORDER is a late or duplicate
 * packet, and anything else is a jump: dropped, unless the next packet continues from it,
 * which means the sender restarted its numbering and the counters restart with it.
 *
 *   extended highest = cycles (multiples of 2^16) + max_seq
 *   expected         = extended highest − base_seq + 1
 *   cumulative lost  = expected − received    (negative with duplicates, §6.4.1)
 */
export const MIN_SEQUENTIAL = 2;
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
const SEQ_MOD = 0x1_0000;

/** What one packet did to the counters; only `valid` packets should be played out. */
export type SequenceVerdict =
  /** In sequence, late or duplicate: counted as received. */
  | 'valid'
  /** The source has not yet sent MIN_SEQUENTIAL packets in a row. */
  | 'probation'
  /** A jump too big to trust yet; the next packet decides (A.1 `bad_seq`). */
  | 'jump';

export interface LossReport {
  /** Loss over the interval since the previous report, 0..255 (fixed point /256, A.3). */
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly extendedHighestSequence: number;
}

export class SequenceValidator {
  private maxSeq: number;
  private cycles = 0;
  private baseSeq: number;
  private badSeq = SEQ_MOD + 1;
  private probation = MIN_SEQUENTIAL;
  private receivedCount = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;

  /** A.1: a source is created by its first packet, which starts the probation. */
  constructor(firstSequence: number) {
    this.baseSeq = firstSequence;
    this.maxSeq = (firstSequence - 1 + SEQ_MOD) % SEQ_MOD;
  }

  update(sequence: number): SequenceVerdict {
    const delta = (sequence - this.maxSeq + SEQ_MOD) % SEQ_MOD;
    if (this.probation > 0) {
      if (sequence === (this.maxSeq + 1) % SEQ_MOD) {
        this.probation--;
        this.maxSeq = sequence;
        if (this.probation === 0) {
          this.restart(sequence);
          this.receivedCount++;
          return 'valid';
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = sequence;
      }
      return 'probation';
    }
    if (delta < MAX_DROPOUT) {
      // In order, possibly with a gap; a smaller number than before means it wrapped.
      if (sequence < this.maxSeq) this.cycles += SEQ_MOD;
      this.maxSeq = sequence;
    } else if (delta <= SEQ_MOD - MAX_MISORDER) {
      if (sequence !== this.badSeq) {
        this.badSeq = (sequence + 1) % SEQ_MOD;
        return 'jump';
      }
      // Two packets in sequence after a jump: the sender restarted (A.1).
      this.restart(sequence);
    }
    // Otherwise a duplicate or a packet reordered within MAX_MISORDER: counted, not
    // moving the highest number.
    this.receivedCount++;
    return 'valid';
  }

  get isOnProbation(): boolean {
    return this.probation > 0;
  }

  get received(): number {
    return this.receivedCount;
  }

  get extendedHighestSequence(): number {
    return this.cycles + this.maxSeq;
  }

  get expected(): number {
    return this.probation > 0 ? 0 : this.extendedHighestSequence - this.baseSeq + 1;
  }

  get cumulativeLost(): number {
    return this.expected - this.receivedCount;
  }

  /** A.3: the fraction lost since the previous call; call once per report sent. */
  takeLossReport(): LossReport {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.receivedCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.receivedCount;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0
        ? 0
        : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      fractionLost: Math.min(fractionLost, 255),
      cumulativeLost: this.cumulativeLost,
      extendedHighestSequence: this.extendedHighestSequence,
    };
  }

  private restart(sequence: number): void {
    this.baseSeq = sequence;
    this.maxSeq = sequence;
    this.badSeq = SEQ_MOD + 1;
    this.cycles = 0;
    this.receivedCount = 0;
    this.expectedPrior = 0;
    this.receivedPrior = 0;
  }
}
