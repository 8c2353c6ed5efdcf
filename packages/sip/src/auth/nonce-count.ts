/*
 * Nonce-count replay protection (RFC 7616 §3.4 and §5.9: the server remembers the nc it
 * has seen for each nonce and refuses one that is not higher). Nonces are stateless (see
 * nonce.ts), so this is the only per-nonce state, and it is bounded: at most `maxNonces`
 * entries, the least recently used evicted first. Only nonces that live at most the nonce
 * lifetime need tracking; a nonce evicted early comes back as `untracked`.
 *
 * Record an nc only after the response digest has been verified — otherwise anyone could
 * send nc=ffffffff with a wrong response and lock a phone out of its own nonce.
 */

/**
 * - `accepted`: higher than any nc seen with this nonce (now remembered);
 * - `replayed`: this nc or a higher one was already used — a replay or a reordering;
 * - `untracked`: nc > 1 for a nonce we hold no record of (evicted, or a restart): we
 *   cannot tell a replay, so the caller answers stale=true and the phone starts afresh.
 */
export type NonceCountVerdict = 'accepted' | 'replayed' | 'untracked';

export const defaultMaxTrackedNonces = 50_000;

export class NonceCountTracker {
  private readonly highest = new Map<string, number>();
  private readonly maxNonces: number;

  constructor(options: { readonly maxNonces?: number | undefined } = {}) {
    this.maxNonces = options.maxNonces ?? defaultMaxTrackedNonces;
    if (!(this.maxNonces >= 1)) throw new RangeError('maxNonces must be at least 1');
  }

  get size(): number {
    return this.highest.size;
  }

  accept(nonce: string, nc: number): NonceCountVerdict {
    if (!Number.isInteger(nc) || nc < 1) return 'replayed';
    const seen = this.highest.get(nonce);
    if (seen === undefined && nc !== 1) return 'untracked';
    // RFC 7616 §3.4: a phone that sends two requests at once may deliver nc out of order;
    // the later one is refused here and retried after a stale=true 401 — safe, if slower.
    if (seen !== undefined && nc <= seen) return 'replayed';
    // Delete and set again so the Map's insertion order is the order of last use.
    this.highest.delete(nonce);
    this.highest.set(nonce, nc);
    if (this.highest.size > this.maxNonces) {
      const oldest = this.highest.keys().next();
      if (oldest.done !== true) this.highest.delete(oldest.value);
    }
    return 'accepted';
  }
}
