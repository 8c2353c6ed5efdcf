/**
 * limits.md (bitrix24/b24restdocs), "Request Rate Limits": every request adds one to a
 * per-portal counter; the counter drops by Y once per second; when it has reached X the
 * next request is refused with HTTP 503 QUERY_LIMIT_EXCEEDED. X/Y: 50 and 2/s, Enterprise
 * 250 and 5/s. A refused request is not counted (not stated by the page).
 */
import type { SandboxClock } from '../common/clock.ts';

export interface BucketLimits {
  /** X: the counter value at which requests start being refused. */
  capacity: number;
  /** Y: how much the counter drops once per second. */
  drainPerSecond: number;
}

export const standardLimits: BucketLimits = { capacity: 50, drainPerSecond: 2 };
export const enterpriseLimits: BucketLimits = { capacity: 250, drainPerSecond: 5 };

export class LeakyBucket {
  private level = 0;
  private lastDrainSecond: number;

  constructor(
    private readonly clock: SandboxClock,
    readonly limits: BucketLimits,
  ) {
    this.lastDrainSecond = clock.nowSeconds();
  }

  /** Counts a request; false when the bucket is full and the request must be refused. */
  tryTake(): boolean {
    this.drain();
    if (this.level >= this.limits.capacity) return false;
    this.level += 1;
    return true;
  }

  current(): number {
    this.drain();
    return this.level;
  }

  reset(): void {
    this.level = 0;
    this.lastDrainSecond = this.clock.nowSeconds();
  }

  private drain(): void {
    const second = this.clock.nowSeconds();
    const ticks = second - this.lastDrainSecond;
    if (ticks <= 0) return;
    this.level = Math.max(0, this.level - ticks * this.limits.drainPerSecond);
    this.lastDrainSecond = second;
  }
}
