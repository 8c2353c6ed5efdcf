/**
 * The sandboxes' notion of "now". Token lifetimes, the rate limits (amoCRM's 7 requests/s
 * window, Bitrix24's leaky bucket), Bitrix24's 30-minute re-registration window and every
 * created/modified stamp read it, so tests move time instead of sleeping.
 *
 * A running clock follows the system clock plus whatever was advanced; a frozen one never
 * moves on its own, only through `advance()`.
 */
export interface SandboxClockOptions {
  /** Start frozen at this instant (milliseconds since the Unix epoch). */
  readonly frozenAtMs?: number;
  /** The system clock a running clock follows; `Date.now` unless a test replaces it. */
  readonly systemNowMs?: () => number;
}

export class SandboxClock {
  private offsetMs = 0;
  private frozenAtMs: number | undefined;
  private readonly systemNowMs: () => number;

  constructor(options: SandboxClockOptions = {}) {
    this.frozenAtMs = options.frozenAtMs;
    this.systemNowMs = options.systemNowMs ?? Date.now;
  }

  /** A clock stopped at `ms`, the usual choice for tests. */
  static frozenAt(ms: number): SandboxClock {
    return new SandboxClock({ frozenAtMs: ms });
  }

  /** Milliseconds since the Unix epoch. */
  nowMs(): number {
    return this.frozenAtMs ?? this.systemNowMs() + this.offsetMs;
  }

  /** Whole Unix seconds (amoCRM timestamps, Bitrix24's `ts`). */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  /** Moves time forward; tokens that expire and rate windows that drain depend on it never going back. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    if (this.frozenAtMs !== undefined) this.frozenAtMs += ms;
    else this.offsetMs += ms;
  }

  /** Stops the clock at the given instant (tests that count requests per second). */
  freeze(atMs: number): void {
    this.frozenAtMs = atMs;
  }

  snapshot(): { now_ms: number; frozen: boolean } {
    return { now_ms: this.nowMs(), frozen: this.frozenAtMs !== undefined };
  }
}
