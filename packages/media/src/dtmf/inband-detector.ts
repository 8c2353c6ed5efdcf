import { type DtmfDigit } from './digits.ts';
import { GoertzelFilter } from './goertzel.ts';

/** ITU-T Q.23 §2: the row (low group) and column (high group) frequencies, in Hz. */
export const DTMF_ROW_FREQUENCIES = [697, 770, 852, 941] as const;
export const DTMF_COLUMN_FREQUENCIES = [1209, 1336, 1477, 1633] as const;
// ITU-T Q.23 Figure 1: the keypad, rows × columns.
const KEYPAD: readonly (readonly DtmfDigit[])[] = [
  ['1', '2', '3', 'A'],
  ['4', '5', '6', 'B'],
  ['7', '8', '9', 'C'],
  ['*', '0', '#', 'D'],
];

const SAMPLE_RATE = 8000;
/**
 * 205 samples (25.6 ms) per block: bins 39 Hz wide, narrow enough to separate 697 from
 * 770 Hz (the closest pair, 73 Hz) with the leakage of the neighbour ≥ 20 dB down.
 */
const BLOCK_SIZE = 205;
// G.711 (Tables 5 and 6, the digital milliwatt): a full-scale sine is +3.17 dBm0.
const FULL_SCALE_DBM0 = 3.17;
const FULL_SCALE_AMPLITUDE = 32_124;

const db = (decibels: number): number => 10 ** (decibels / 10);

export interface InbandDtmfDetectorOptions {
  /** Quietest tone accepted, per frequency, in dBm0 (Q.24 receivers work down to −25…−36). */
  readonly minToneLevelDbm0?: number;
  /** Row tone louder than the column tone by at most this (dB), "normal twist". */
  readonly maxNormalTwistDb?: number;
  /** Column tone louder than the row tone by at most this (dB), "reverse twist". */
  readonly maxReverseTwistDb?: number;
  /** How far (dB) the strongest tone of a group must stand above the others of the group. */
  readonly minRelativePeakDb?: number;
  /** Share of the block's energy the two tones must hold: rejects speech and noise. */
  readonly minToneEnergyShare?: number;
  /**
   * Tones shorter than this are never reported: it sets how many consecutive 25.6 ms
   * blocks a key needs. With the default (40 ms → 2 blocks) every tone of ≥ 60 ms is
   * caught, 40–55 ms ones depending on where they fall on the block grid, 30 ms never.
   * ITU-T Q.24 asks receivers to accept 40 ms; we trade that for fewer false detections
   * in speech (phones send 70–100 ms).
   */
  readonly minDurationMs?: number;
}

export interface InbandDtmfDetection {
  readonly digit: DtmfDigit;
  /** Index (in samples since the detector started) of the first block the tone was in. */
  readonly startSample: number;
}

type DetectorState =
  | { readonly kind: 'idle' }
  | {
      readonly kind: 'candidate';
      readonly digit: DtmfDigit;
      readonly blocks: number;
      readonly startSample: number;
    }
  | { readonly kind: 'pressed'; readonly digit: DtmfDigit };

/**
 * In-band DTMF detection on 8 kHz linear PCM, for trunks that send keys as tones in the
 * audio instead of RFC 4733 events. Each 205-sample block is measured at the eight Q.23
 * frequencies with Goertzel filters and accepted as a key when:
 *  - the strongest row and column tones are both above the minimum level;
 *  - their ratio is within the twist limits (8 dB normal, 4 dB reverse — the values most
 *    Q.24 administrations specify);
 *  - each stands ≥ `minRelativePeakDb` above the other tones of its group;
 *  - together they hold most of the block's energy (speech and noise spread theirs).
 * A key is reported once, after it has been seen in enough consecutive blocks to cover
 * `minDurationMs`; it must then disappear for a block before the same key can be reported
 * again, so a long press is one key. Feed it any frame size; time is counted in samples.
 */
export class InbandDtmfDetector {
  private readonly rows = DTMF_ROW_FREQUENCIES.map((f) => new GoertzelFilter(f, SAMPLE_RATE));
  private readonly columns = DTMF_COLUMN_FREQUENCIES.map((f) => new GoertzelFilter(f, SAMPLE_RATE));
  private readonly block = new Float64Array(BLOCK_SIZE);
  private filled = 0;
  private samplesSeen = 0;
  private state: DetectorState = { kind: 'idle' };

  private readonly minToneEnergy: number;
  private readonly maxNormalTwist: number;
  private readonly maxReverseTwist: number;
  private readonly minRelativePeak: number;
  private readonly minToneEnergyShare: number;
  private readonly blocksNeeded: number;

  constructor(options: InbandDtmfDetectorOptions = {}) {
    const level = options.minToneLevelDbm0 ?? -36;
    const minAmplitude = FULL_SCALE_AMPLITUDE * 10 ** ((level - FULL_SCALE_DBM0) / 20);
    this.minToneEnergy = (minAmplitude * minAmplitude * BLOCK_SIZE) / 2;
    this.maxNormalTwist = db(options.maxNormalTwistDb ?? 8);
    this.maxReverseTwist = db(options.maxReverseTwistDb ?? 4);
    this.minRelativePeak = db(options.minRelativePeakDb ?? 8);
    this.minToneEnergyShare = options.minToneEnergyShare ?? 0.6;
    const blockMs = (BLOCK_SIZE * 1000) / SAMPLE_RATE;
    this.blocksNeeded = Math.max(1, Math.ceil((options.minDurationMs ?? 40) / blockMs));
  }

  /** Feeds 8 kHz mono samples; returns the keys whose press completed in them. */
  process(pcm: Int16Array): InbandDtmfDetection[] {
    const detections: InbandDtmfDetection[] = [];
    for (const sample of pcm) {
      this.block[this.filled++] = sample;
      if (this.filled < BLOCK_SIZE) continue;
      const blockStart = this.samplesSeen;
      this.samplesSeen += BLOCK_SIZE;
      this.filled = 0;
      const detection = this.step(this.classifyBlock(), blockStart);
      if (detection) detections.push(detection);
    }
    return detections;
  }

  private step(digit: DtmfDigit | undefined, blockStart: number): InbandDtmfDetection | undefined {
    const state = this.state;
    if (state.kind === 'pressed' && state.digit === digit) return undefined;
    if (digit === undefined) {
      this.state = { kind: 'idle' };
      return undefined;
    }
    const candidate =
      state.kind === 'candidate' && state.digit === digit
        ? { ...state, blocks: state.blocks + 1 }
        : { kind: 'candidate' as const, digit, blocks: 1, startSample: blockStart };
    if (candidate.blocks < this.blocksNeeded) {
      this.state = candidate;
      return undefined;
    }
    this.state = { kind: 'pressed', digit };
    return { digit, startSample: candidate.startSample };
  }

  /** The key whose tone pair this block holds, if it passes every check. */
  private classifyBlock(): DtmfDigit | undefined {
    const rowEnergies = this.rows.map((filter) => filter.energy(this.block, 0, BLOCK_SIZE));
    const columnEnergies = this.columns.map((filter) => filter.energy(this.block, 0, BLOCK_SIZE));
    const row = strongest(rowEnergies);
    const column = strongest(columnEnergies);
    if (row.energy < this.minToneEnergy || column.energy < this.minToneEnergy) return undefined;
    if (row.energy > column.energy * this.maxNormalTwist) return undefined;
    if (column.energy > row.energy * this.maxReverseTwist) return undefined;
    if (!standsOut(rowEnergies, row, this.minRelativePeak)) return undefined;
    if (!standsOut(columnEnergies, column, this.minRelativePeak)) return undefined;
    let total = 0;
    for (const sample of this.block) total += sample * sample;
    if (row.energy + column.energy < this.minToneEnergyShare * total) return undefined;
    return KEYPAD[row.index]?.[column.index];
  }
}

interface Peak {
  readonly index: number;
  readonly energy: number;
}

function strongest(energies: readonly number[]): Peak {
  let peak: Peak = { index: 0, energy: -Infinity };
  energies.forEach((energy, index) => {
    if (energy > peak.energy) peak = { index, energy };
  });
  return peak;
}

function standsOut(energies: readonly number[], peak: Peak, ratio: number): boolean {
  return energies.every((energy, index) => index === peak.index || energy * ratio <= peak.energy);
}
