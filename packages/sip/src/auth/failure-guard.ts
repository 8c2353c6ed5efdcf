import { sourceKeyOf } from './source-address.ts';

/*
 * Brute-force protection for Digest authentication. Failed attempts (a wrong response —
 * `verifyDigest` says `failed`) are counted per network source and per user (tenant +
 * username) in a sliding window; a key that reaches the limit is refused (403) for a
 * cool-down, reported through `onBlock`, and listed by `blocked()` for the API.
 *
 * Starvation: every key is one address or one user, so a flood from one tenant's phones
 * or one attacker blocks that address or that user and nothing else — other tenants' calls
 * and registrations go on. What this guard does not do, and the registrar must:
 *   - answer a blocked source before parsing or hashing anything (the check is a Map look-up);
 *   - rate-limit requests per tenant and per source before authentication, so a flood of
 *     well-formed REGISTERs with *valid* nonces (which never fail, so never block) cannot
 *     take the CPU from other tenants' INVITEs — e.g. a token bucket per tenant, and INVITE
 *     / in-dialog requests served ahead of REGISTER when the queue is long;
 *   - not count `stale` or `rejected` verdicts as failures (they say nothing about the
 *     password), and count an unknown user like a wrong password (no username probing).
 * Memory is bounded: at most `maxTrackedKeys` counters (least recently touched evicted) and
 * `maxBlocks` blocks, kept apart so churn of new counters under a botnet flood cannot evict
 * the blocks already in place.
 */

export type GuardKeyKind = 'source' | 'user';

/** Who a SIP user is: the tenant (its id or SIP domain, as the caller likes) and username. */
export interface GuardUser {
  readonly tenant: string;
  readonly username: string;
}

export interface GuardLimit {
  /** Failures within `windowMs` that trigger a block. */
  readonly maxFailures: number;
  readonly windowMs: number;
  /** How long the block lasts. */
  readonly blockMs: number;
}

export interface AuthFailureGuardOptions {
  /** Time comes in as a parameter (STYLE rule 5). */
  readonly clock: () => Date;
  /**
   * Per source address. Looser than per user by default: an office behind one NAT shares
   * an address, and one misconfigured phone there must not lock out its colleagues.
   */
  readonly sourceLimit?: Partial<GuardLimit> | undefined;
  readonly userLimit?: Partial<GuardLimit> | undefined;
  readonly maxTrackedKeys?: number | undefined;
  readonly maxBlocks?: number | undefined;
  /** Called once when a key becomes blocked, so the caller can log it; must not throw. */
  readonly onBlock?: ((block: AuthBlock) => void) | undefined;
}

export interface AuthBlock {
  readonly kind: GuardKeyKind;
  /** The source key (an address or an IPv6 /64) or `username@tenant`. */
  readonly key: string;
  /** Set when kind is 'user'. */
  readonly user?: GuardUser | undefined;
  readonly failures: number;
  readonly blockedAt: Date;
  readonly blockedUntil: Date;
}

export type GuardDecision =
  | { readonly decision: 'allowed' }
  | {
      readonly decision: 'blocked';
      readonly kind: GuardKeyKind;
      readonly key: string;
      readonly blockedUntil: Date;
      /** Milliseconds until the block ends (for a Retry-After, if the caller sends one). */
      readonly retryAfterMs: number;
    };

export const defaultSourceLimit: GuardLimit = {
  maxFailures: 20,
  windowMs: 60_000,
  blockMs: 300_000,
};
export const defaultUserLimit: GuardLimit = { maxFailures: 10, windowMs: 60_000, blockMs: 300_000 };

interface Subject {
  readonly kind: GuardKeyKind;
  readonly key: string;
  readonly user?: GuardUser | undefined;
}

/** Failure times (ms) within the window, oldest first; never longer than maxFailures. */
type Counter = { readonly subject: Subject; times: number[] };

export class AuthFailureGuard {
  private readonly counters = new Map<string, Counter>();
  private readonly blocks = new Map<string, AuthBlock>();
  private readonly limits: Record<GuardKeyKind, GuardLimit>;
  private readonly maxTrackedKeys: number;
  private readonly maxBlocks: number;

  constructor(private readonly options: AuthFailureGuardOptions) {
    this.limits = {
      source: { ...defaultSourceLimit, ...options.sourceLimit },
      user: { ...defaultUserLimit, ...options.userLimit },
    };
    for (const limit of Object.values(this.limits)) {
      if (!(limit.maxFailures >= 1 && limit.windowMs > 0 && limit.blockMs > 0)) {
        throw new RangeError('guard limits must be positive');
      }
    }
    this.maxTrackedKeys = options.maxTrackedKeys ?? 100_000;
    this.maxBlocks = options.maxBlocks ?? 10_000;
    if (!(this.maxTrackedKeys >= 1 && this.maxBlocks >= 1)) {
      throw new RangeError('guard capacities must be at least 1');
    }
  }

  /** How many failure counters are held (for metrics; never above `maxTrackedKeys`). */
  get trackedKeys(): number {
    return this.counters.size;
  }

  /** Whether to serve this request at all; call it before any Digest work. */
  check(source: string, user?: GuardUser): GuardDecision {
    const now = this.now();
    for (const subject of subjectsOf(source, user)) {
      const block = this.activeBlock(mapKey(subject), now);
      if (block !== undefined) {
        return {
          decision: 'blocked',
          kind: block.kind,
          key: block.key,
          blockedUntil: block.blockedUntil,
          retryAfterMs: block.blockedUntil.getTime() - now,
        };
      }
    }
    return { decision: 'allowed' };
  }

  /** Counts one failed authentication; says whether the source or user is now blocked. */
  recordFailure(source: string, user?: GuardUser): GuardDecision {
    const now = this.now();
    for (const subject of subjectsOf(source, user)) {
      const id = mapKey(subject);
      if (this.activeBlock(id, now) !== undefined) continue;
      const limit = this.limits[subject.kind];
      const counter = this.counters.get(id) ?? { subject, times: [] };
      counter.times = counter.times.filter((time) => now - time < limit.windowMs);
      counter.times.push(now);
      // Re-insert so the Map's order is least recently touched first.
      this.counters.delete(id);
      if (counter.times.length >= limit.maxFailures) {
        this.block(id, subject, counter.times.length, now, limit);
      } else {
        this.counters.set(id, counter);
        this.evictOldest(this.counters, this.maxTrackedKeys);
      }
    }
    return this.check(source, user);
  }

  /**
   * The user proved the password: forget the user's failures. The source's stay, because
   * behind a shared NAT an attacker's failures must not be wiped by a colleague's phone.
   */
  recordSuccess(_source: string, user?: GuardUser): void {
    if (user !== undefined) this.counters.delete(mapKey(userSubject(user)));
  }

  /** Current blocks, soonest to end first: for the API and the back office. */
  blocked(): AuthBlock[] {
    const now = this.now();
    for (const id of [...this.blocks.keys()]) this.activeBlock(id, now);
    return [...this.blocks.values()].sort(
      (a, b) => a.blockedUntil.getTime() - b.blockedUntil.getTime(),
    );
  }

  /** Lifts a block early (an administrator's action); says whether there was one. */
  unblock(kind: GuardKeyKind, key: string): boolean {
    const id = `${kind}\u0000${key}`;
    this.counters.delete(id);
    return this.blocks.delete(id);
  }

  private now(): number {
    return this.options.clock().getTime();
  }

  private activeBlock(id: string, now: number): AuthBlock | undefined {
    const block = this.blocks.get(id);
    if (block === undefined) return undefined;
    if (block.blockedUntil.getTime() > now) return block;
    this.blocks.delete(id);
    return undefined;
  }

  private block(
    id: string,
    subject: Subject,
    failures: number,
    now: number,
    limit: GuardLimit,
  ): void {
    const block: AuthBlock = {
      kind: subject.kind,
      key: subject.key,
      user: subject.user,
      failures,
      blockedAt: new Date(now),
      blockedUntil: new Date(now + limit.blockMs),
    };
    this.blocks.set(id, block);
    // Blocks of one kind all last as long, so the oldest is (near enough) the first to end.
    this.evictOldest(this.blocks, this.maxBlocks);
    this.options.onBlock?.(block);
  }

  private evictOldest<V>(map: Map<string, V>, capacity: number): void {
    while (map.size > capacity) {
      const oldest = map.keys().next();
      if (oldest.done === true) return;
      map.delete(oldest.value);
    }
  }
}

function subjectsOf(source: string, user: GuardUser | undefined): Subject[] {
  const subjects: Subject[] = [{ kind: 'source', key: sourceKeyOf(source) }];
  if (user !== undefined) subjects.push(userSubject(user));
  return subjects;
}

function userSubject(user: GuardUser): Subject {
  return { kind: 'user', key: `${user.username}@${user.tenant}`, user };
}

/** The Map key: kind and key joined by NUL, which neither an address nor a key contains. */
function mapKey(subject: Subject): string {
  return `${subject.kind}\u0000${subject.key}`;
}
