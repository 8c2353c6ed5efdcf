import type { SandboxClock } from '../common/clock.ts';

/**
 * amoCRM allows 7 requests per second per account; above it the API answers 429, and
 * repeated violations block the account's API with 403 for everything until support
 * lifts it (https://es-developers.kommo.com/docs/limitaciones: "no more than 7 requests
 * per second"; the 403 block as summarised in the project's CRM-FACTS §2).
 * The docs give no number for "repeated", so blocking is off unless a test asks for it.
 */
export interface RateLimitOptions {
  /** Requests allowed in any 1-second window; amoCRM's documented limit is 7. */
  readonly perSecond: number;
  /** After this many 429s within `violationWindowMs` the account is blocked (403). */
  readonly blockAfterViolations?: number;
  readonly violationWindowMs?: number;
}

export type RateDecision = 'allowed' | 'limited' | 'blocked';

export class AccountRateLimiter {
  private accepted: number[] = [];
  private violations: number[] = [];
  private blocked = false;

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: SandboxClock,
  ) {}

  /** Counts one request and says whether it may proceed. Refused requests do not count. */
  check(): RateDecision {
    if (this.blocked) return 'blocked';
    const now = this.clock.nowMs();
    this.accepted = this.accepted.filter((at) => now - at < 1000);
    if (this.accepted.length < this.options.perSecond) {
      this.accepted.push(now);
      return 'allowed';
    }
    const windowMs = this.options.violationWindowMs ?? 60_000;
    this.violations = this.violations.filter((at) => now - at < windowMs);
    this.violations.push(now);
    const limit = this.options.blockAfterViolations;
    if (limit !== undefined && this.violations.length >= limit) this.blocked = true;
    return 'limited';
  }

  reset(): void {
    this.accepted = [];
    this.violations = [];
    this.blocked = false;
  }

  snapshot(): { per_second: number; blocked: boolean; recent_violations: number } {
    return {
      per_second: this.options.perSecond,
      blocked: this.blocked,
      recent_violations: this.violations.length,
    };
  }
}
