/**
 * The sandbox's notion of "now". Token lifetimes (settings/oauth/index.md: access token one
 * hour, refresh token 180 days), the leaky bucket (limits.md) and the 30-minute
 * re-registration window of telephony.externalCall.register all read it, so tests move time
 * with `advance()` instead of sleeping.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly source: () => number = Date.now) {}

  /** Milliseconds since the Unix epoch. */
  now(): number {
    return this.source() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** ISO 8601 with offset, the way Bitrix24 prints dates ("2024-08-15T10:38:21+00:00"). */
  isoNow(): string {
    return formatBitrixDate(this.now());
  }
}

export function formatBitrixDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
