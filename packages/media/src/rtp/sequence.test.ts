import { describe, expect, it } from 'vitest';
import { SequenceValidator, type SequenceVerdict } from './sequence.ts';

function feed(sequences: readonly number[]): {
  validator: SequenceValidator;
  verdicts: SequenceVerdict[];
} {
  const [first = 0] = sequences;
  const validator = new SequenceValidator(first);
  return { validator, verdicts: sequences.map((sequence) => validator.update(sequence)) };
}

describe('SequenceValidator (RFC 3550 Appendix A.1)', () => {
  it('holds a new source on probation until two packets arrive in sequence', () => {
    const { validator, verdicts } = feed([1000, 1001, 1002]);
    expect(verdicts).toEqual(['probation', 'valid', 'valid']);
    expect(validator.received).toBe(2);
    expect(validator.expected).toBe(2);
    expect(validator.cumulativeLost).toBe(0);
  });

  it('restarts probation when the first packets are not in sequence', () => {
    const { validator, verdicts } = feed([10, 12, 20, 21]);
    expect(verdicts).toEqual(['probation', 'probation', 'probation', 'valid']);
    expect(validator.isOnProbation).toBe(false);
    expect(validator.extendedHighestSequence).toBe(21);
  });

  it('counts a cycle when the sequence number wraps past 65535', () => {
    const { validator, verdicts } = feed([65533, 65534, 65535, 0, 1]);
    expect(verdicts).toEqual(['probation', 'valid', 'valid', 'valid', 'valid']);
    expect(validator.extendedHighestSequence).toBe(65536 + 1);
    expect(validator.expected).toBe(4);
    expect(validator.cumulativeLost).toBe(0);
  });

  it('counts a gap as lost and reports the fraction over the interval (A.3)', () => {
    const { validator } = feed([100, 101, 102, 105]);
    // Expected 101..105 (5), received 101, 102, 105 (3).
    expect(validator.cumulativeLost).toBe(2);
    expect(validator.takeLossReport()).toEqual({
      fractionLost: Math.floor((2 * 256) / 5),
      cumulativeLost: 2,
      extendedHighestSequence: 105,
    });
    validator.update(106);
    validator.update(107);
    // The next interval lost nothing, though the cumulative count stays.
    expect(validator.takeLossReport()).toMatchObject({ fractionLost: 0, cumulativeLost: 2 });
  });

  it('accepts a late packet without moving the highest number, and fills its gap', () => {
    const { validator, verdicts } = feed([200, 201, 203, 202]);
    expect(verdicts).toEqual(['probation', 'valid', 'valid', 'valid']);
    expect(validator.extendedHighestSequence).toBe(203);
    expect(validator.cumulativeLost).toBe(0);
  });

  it('lets a duplicate make the loss negative, as §6.4.1 allows', () => {
    const { validator } = feed([300, 301, 302, 302]);
    expect(validator.cumulativeLost).toBe(-1);
    expect(validator.takeLossReport().fractionLost).toBe(0);
  });

  it('drops a single big jump and keeps the stream it came from', () => {
    const { validator, verdicts } = feed([100, 101, 9000, 102]);
    expect(verdicts).toEqual(['probation', 'valid', 'jump', 'valid']);
    expect(validator.extendedHighestSequence).toBe(102);
    expect(validator.cumulativeLost).toBe(0);
  });

  it('treats a step back beyond MAX_MISORDER as a jump', () => {
    const { verdicts } = feed([1000, 1001, 800]);
    expect(verdicts).toEqual(['probation', 'valid', 'jump']);
  });

  it('restarts its counters when packets continue in sequence after a jump', () => {
    const { validator, verdicts } = feed([100, 101, 102, 40000, 40001, 40002]);
    expect(verdicts).toEqual(['probation', 'valid', 'valid', 'jump', 'valid', 'valid']);
    expect(validator.received).toBe(2);
    expect(validator.expected).toBe(2);
    expect(validator.extendedHighestSequence).toBe(40002);
  });
});
