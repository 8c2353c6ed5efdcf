import { sourceKeyOf } from './source-address.ts';

export interface RequestRateGuardOptions {
  /** Requests a source may send per second, sustained; 0 turns the guard off. */
  readonly perSecond: number;
  /** How many it may send at once after a quiet time. */
  readonly burst: number;
  /** Sources remembered at most; the least recently seen are forgotten first. */
  readonly maxSources?: number;
  readonly now?: () => number;
}

/**
 * A token bucket per source address (an IPv6 /64 counts as one, like the failure guard),
 * checked before a request costs anything — parsing aside — so one registration or call
 * flood cannot eat the database, the password hashing and the CPU that every other
 * tenant's phones need. Valid credentials do not help a flood: this counts requests,
 * not failures.
 */
export class RequestRateGuard {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly maxSources: number;
  private readonly now: () => number;

  constructor(private readonly options: RequestRateGuardOptions) {
    this.maxSources = options.maxSources ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the source may send this request; false once its bucket is empty. */
  admit(address: string): boolean {
    if (this.options.perSecond <= 0) return true;
    const key = sourceKeyOf(address);
    const now = this.now();
    const bucket = this.buckets.get(key);
    const refilled =
      bucket === undefined
        ? this.options.burst
        : Math.min(
            this.options.burst,
            bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond,
          );
    // Re-inserting keeps the Map ordered by last use, so the oldest key is the idlest.
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxSources) {
      const idlest = this.buckets.keys().next();
      if (idlest.done !== true) this.buckets.delete(idlest.value);
    }
    const admitted = refilled >= 1;
    this.buckets.set(key, { tokens: admitted ? refilled - 1 : refilled, at: now });
    return admitted;
  }
}
