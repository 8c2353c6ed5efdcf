/**
 * The sandbox's notion of "now". Token expiry, the 7 requests/s window and every
 * `created_at` read it, so tests move time instead of sleeping: a frozen clock never
 * moves on its own, a running one follows the system clock plus whatever was advanced.
 */
export class SandboxClock {
  private offsetMs = 0;
  private frozenAtMs: number | undefined;

  constructor(
    frozenAtMs?: number,
    private readonly systemNowMs: () => number = Date.now,
  ) {
    this.frozenAtMs = frozenAtMs;
  }

  nowMs(): number {
    return this.frozenAtMs ?? this.systemNowMs() + this.offsetMs;
  }

  /** amoCRM timestamps are Unix seconds. */
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
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
