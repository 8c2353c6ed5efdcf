import { RtpSessionError } from './session-error.ts';

/**
 * The media port range (e.g. `media.rtpPorts: { min: 10000, max: 20000 }`). RFC 3550
 * §11: RTP uses an even port and RTCP the next odd one, so a session takes a pair and the
 * pool hands out even ports only. Allocation walks round the range from where the last
 * one stopped instead of reusing the lowest free port, so late packets of a call that just
 * ended do not land in the next call that opens.
 */
export interface RtpPortRange {
  /** Lowest port of the range, inclusive. */
  readonly min: number;
  /** Highest port, inclusive; the last RTCP port must fit under it. */
  readonly max: number;
}

export class RtpPortPool {
  private readonly inUse = new Set<number>();
  private readonly first: number;
  private readonly pairs: number;
  private cursor = 0;

  constructor(readonly range: RtpPortRange) {
    const { min, max } = range;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65535) {
      throw new RtpSessionError('bad_port_range', `RTP port range ${min}-${max}`);
    }
    this.first = min % 2 === 0 ? min : min + 1;
    this.pairs = Math.max(0, Math.floor((max - this.first + 1) / 2));
    if (this.pairs === 0) {
      throw new RtpSessionError('bad_port_range', `RTP port range ${min}-${max} holds no pair`);
    }
  }

  /** How many port pairs the range holds. */
  get capacity(): number {
    return this.pairs;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  /** Takes the next free even port, or null when every pair is taken. */
  reserve(): number | null {
    for (let step = 0; step < this.pairs; step++) {
      const index = (this.cursor + step) % this.pairs;
      const port = this.first + index * 2;
      if (!this.inUse.has(port)) {
        this.inUse.add(port);
        this.cursor = (index + 1) % this.pairs;
        return port;
      }
    }
    return null;
  }

  release(port: number): void {
    this.inUse.delete(port);
  }
}
