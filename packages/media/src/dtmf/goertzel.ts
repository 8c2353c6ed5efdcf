/**
 * The Goertzel algorithm (G. Goertzel, "An algorithm for the evaluation of finite
 * trigonometric series", 1958): the power of one frequency over a block of samples with a
 * second-order recursion — for a handful of frequencies it is cheaper than an FFT.
 *
 *   s[n] = x[n] + 2·cos(ω)·s[n−1] − s[n−2],   |X(ω)|² = s1² + s2² − 2·cos(ω)·s1·s2
 *
 * ω need not fall on a DFT bin, so each DTMF frequency is measured exactly where it is.
 */
export class GoertzelFilter {
  private readonly coefficient: number;

  constructor(
    readonly frequency: number,
    sampleRate: number,
  ) {
    this.coefficient = 2 * Math.cos((2 * Math.PI * frequency) / sampleRate);
  }

  /**
   * The energy of this frequency's component in `samples[start, start + length)`, on the
   * same scale as Σx²: a sine of amplitude A over N samples gives ≈ A²·N/2 (= 2|X|²/N), so
   * it can be compared with the block's total energy directly.
   */
  energy(samples: ArrayLike<number>, start: number, length: number): number {
    let s1 = 0;
    let s2 = 0;
    for (let n = start; n < start + length; n++) {
      const s0 = (samples[n] ?? 0) + this.coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - this.coefficient * s1 * s2;
    return (2 * power) / length;
  }
}
