import { ProvodError } from '@provod/contracts';
import type { Clock } from '@provod/db';

export interface LoginThrottleOptions {
  /** Failed logins allowed per key within `windowMs` before the key is locked out. */
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  /** Keys remembered at most; the oldest are forgotten first (bounds memory under a flood). */
  maxKeys: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = {
  maxFailures: 10,
  windowMs: 15 * 60_000,
  lockoutMs: 15 * 60_000,
  maxKeys: 10_000,
};

interface Failures {
  count: number;
  firstAt: number;
  lockedUntil: number;
}

/**
 * Password guessing protection (OWASP Authentication Cheat Sheet, "Protect against
 * automated attacks"): too many failures for one e-mail or from one address lock that
 * key out for a while, answered 429. Kept in memory, per process: a cluster node counts
 * its own attempts, which still caps a guesser at nodes × maxFailures per window.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: Clock,
    private readonly options: LoginThrottleOptions = defaultLoginThrottle,
  ) {}

  /** Throws rate_limited when any of the keys is locked out. */
  check(keys: readonly string[]): void {
    const now = this.clock().getTime();
    for (const key of keys) {
      const entry = this.failures.get(key);
      if (entry && entry.lockedUntil > now) {
        const seconds = Math.ceil((entry.lockedUntil - now) / 1000);
        throw new ProvodError('rate_limited', `too many failed logins; try again in ${seconds} s`);
      }
    }
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.clock().getTime();
    for (const key of keys) {
      const previous = this.failures.get(key);
      const entry =
        previous && now - previous.firstAt < this.options.windowMs
          ? previous
          : { count: 0, firstAt: now, lockedUntil: 0 };
      entry.count += 1;
      if (entry.count >= this.options.maxFailures) entry.lockedUntil = now + this.options.lockoutMs;
      this.failures.delete(key);
      this.failures.set(key, entry);
    }
    while (this.failures.size > this.options.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done === true) break;
      this.failures.delete(oldest.value);
    }
  }

  /** A correct password clears the account's count (not the address's: one success among many guesses proves little). */
  recordSuccess(accountKey: string): void {
    this.failures.delete(accountKey);
  }
}
