/**
 * Interarrival jitter, RFC 3550 §6.4.1 and Appendix A.8: the mean deviation of the
 * difference in transit time between consecutive packets, smoothed with gain 1/16.
 *
 *   transit_i = arrival_i (in RTP timestamp units) − timestamp_i
 *   D         = |transit_i − transit_{i−1}|
 *   J        += (D − J) / 16
 *
 * Kept as a float (A.8's first form); a report carries it truncated to an integer.
 * Arrival times are the receiver's clock, so transit carries an arbitrary offset that the
 * difference cancels.
 */
export class JitterEstimator {
  private lastTransit: number | null = null;
  private value = 0;

  constructor(private readonly clockRate: number) {}

  /** `arrivalMs` is a monotonic receive time in milliseconds. */
  update(arrivalMs: number, rtpTimestamp: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - rtpTimestamp;
    if (this.lastTransit !== null) {
      let difference = Math.abs(transit - this.lastTransit);
      // A timestamp that wrapped 2^32 between two packets shows as a transit step of
      // nearly 2^32; fold it back.
      if (difference > 0x8000_0000) difference = 0x1_0000_0000 - difference;
      this.value += (difference - this.value) / 16;
    }
    this.lastTransit = transit;
  }

  /** In RTP timestamp units, as the report block's jitter field. */
  get timestampUnits(): number {
    return this.value;
  }

  get milliseconds(): number {
    return (this.value * 1000) / this.clockRate;
  }
}
