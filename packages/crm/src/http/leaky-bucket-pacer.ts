import { systemClock, type Clock, type Pacer } from './pacer.ts';

export interface LeakyBucketOptions {
  /** Bitrix24: 50 requests (Enterprise 250) before QUERY_LIMIT_EXCEEDED (CRM-FACTS §9). */
  readonly capacity: number;
  /** Bitrix24: the bucket drains 2 requests per second (Enterprise 5). */
  readonly drainPerSecond: number;
  /**
   * Left unused at the top of the bucket: the portal's bucket is shared with its other
   * applications and with Provod's other nodes, whose requests this pacer cannot see.
   */
  readonly headroom: number;
}

export const bitrixPacerDefaults: LeakyBucketOptions = {
  capacity: 50,
  drainPerSecond: 2,
  headroom: 10,
};

/**
 * Paces one Bitrix24 portal the way the portal counts: every request adds one to a bucket
 * that drains at a steady rate, and a request that would overflow it is refused
 * (settings/how-to-call-rest-api/limits — bitrix24/b24restdocs). A burst of up to
 * capacity − headroom requests goes out at once; after it, one request per 1/drain seconds.
 * Callers are served in order.
 */
export class LeakyBucketPacer implements Pacer {
  private level = 0;
  private levelAtMs: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly options: LeakyBucketOptions = bitrixPacerDefaults,
  ) {
    this.levelAtMs = clock.nowMs();
  }

  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForRoom());
    // A failed sleep must not wedge the queue for everybody after it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The bucket's level now, after draining since the last look. */
  current(): number {
    const now = this.clock.nowMs();
    const drained = ((now - this.levelAtMs) / 1000) * this.options.drainPerSecond;
    this.level = Math.max(0, this.level - drained);
    this.levelAtMs = now;
    return this.level;
  }

  private async waitForRoom(): Promise<void> {
    const limit = Math.max(1, this.options.capacity - this.options.headroom);
    for (;;) {
      const level = this.current();
      if (level + 1 <= limit) {
        this.level = level + 1;
        return;
      }
      const excess = level + 1 - limit;
      await this.clock.sleep(Math.ceil((excess / this.options.drainPerSecond) * 1000));
    }
  }
}
