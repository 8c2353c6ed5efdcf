/** Time as the client sees it; tests pass a clock they move by hand. */
export interface Clock {
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PacerOptions {
  /** amoCRM: 7 requests per second per account (CRM-FACTS §2). */
  readonly perSecond: number;
  /**
   * Added to the 1-second window: a request granted at t may reach amoCRM a little later
   * than the one granted before it, and amoCRM counts arrivals, not our grants.
   */
  readonly marginMs: number;
}

export const amoPacerDefaults: PacerOptions = { perSecond: 7, marginMs: 100 };

/** Whatever spaces one CRM account's requests so that the CRM never refuses them for rate. */
export interface Pacer {
  /** Resolves when this caller may send one request; the grant is counted at that moment. */
  acquire(): Promise<void>;
}

/**
 * A token bucket of `perSecond` tokens where each token comes back one window after it was
 * spent. A bucket that refills continuously (7 tokens/s, capacity 7) would let 7 requests
 * out at once and 6 more within the same second — 13 in one sliding second, which amoCRM
 * answers with 429 and, repeated, with a 403 block of the whole account
 * (https://es-developers.kommo.com/docs/limitaciones: "no more than 7 requests per
 * second"; CRM-FACTS §2). So this pacer guarantees at most `perSecond` grants in any window.
 *
 * Callers queue in order: a grant is taken only after the previous caller got its own.
 */
export class RequestPacer implements Pacer {
  private readonly grants: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly options: PacerOptions = amoPacerDefaults,
  ) {}

  /** Resolves when this caller may send one request; the grant is counted at that moment. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    // A failed sleep must not wedge the queue for everybody after it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    const windowMs = 1000 + this.options.marginMs;
    for (;;) {
      const now = this.clock.nowMs();
      while (this.grants.length > 0 && now - (this.grants[0] ?? now) >= windowMs)
        this.grants.shift();
      if (this.grants.length < this.options.perSecond) {
        this.grants.push(now);
        return;
      }
      const oldest = this.grants[0] ?? now;
      await this.clock.sleep(oldest + windowMs - now);
    }
  }
}

/**
 * One pacer per CRM account, shared by every client and call of that account in this
 * process (the limits are per account or portal, not per connection object).
 */
export class PacerRegistry {
  private readonly pacers = new Map<string, Pacer>();

  constructor(private readonly create: () => Pacer) {}

  /** `account` is the account's base URL or subdomain — whatever names it uniquely. */
  forAccount(account: string): Pacer {
    const key = account.toLowerCase();
    let pacer = this.pacers.get(key);
    if (pacer === undefined) {
      pacer = this.create();
      this.pacers.set(key, pacer);
    }
    return pacer;
  }
}

/** amoCRM's pacers: 7 requests in any second per account. */
export function amoPacers(clock: Clock = systemClock): PacerRegistry {
  return new PacerRegistry(() => new RequestPacer(clock, amoPacerDefaults));
}
