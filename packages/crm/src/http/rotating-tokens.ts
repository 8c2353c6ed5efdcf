import type { TokenStore } from './token-store.ts';

/**
 * The refresh-token discipline both CRMs need: each refresh revokes the refresh token it
 * used (amoCRM, CRM-FACTS §1; Bitrix24 asks the same), so
 * - a new pair is saved, and the save awaited, before anything is sent with it;
 * - one refresh at a time per connection: a second would spend the token the first got;
 * - after a 401, a pair in the store newer than the one used means another connection or
 *   process refreshed already — use it rather than refresh (and revoke) again.
 */
export class RotatingTokens<C> {
  private cached: C | null = null;
  private refreshing: Promise<C> | null = null;
  /** While a refresh holds the store's lock, saves go through it. */
  private lockedSave: ((credentials: C) => Promise<void>) | undefined;

  constructor(
    private readonly store: TokenStore<C>,
    private readonly accessToken: (credentials: C) => string,
  ) {}

  async current(): Promise<C | null> {
    this.cached ??= await this.store.load();
    return this.cached;
  }

  /** Saves a new pair, then uses it; when the save fails the pair is dropped unused. */
  async keep(credentials: C): Promise<void> {
    try {
      await (this.lockedSave ?? ((pair: C) => this.store.save(pair)))(credentials);
    } catch (error) {
      this.cached = null;
      throw error;
    }
    this.cached = credentials;
  }

  /** The stored pair when it is newer than `used`, else null. */
  async newerThan(used: C): Promise<C | null> {
    const stored = await this.store.load();
    if (stored === null || this.accessToken(stored) === this.accessToken(used)) return null;
    this.cached = stored;
    return stored;
  }

  /**
   * Runs `refresh` unless one is under way here, whose result is shared. Where the store
   * locks across processes, the refresh runs under that lock, and not at all when the
   * stored pair is no longer `used` — another process refreshed first.
   */
  refreshOnce(used: C, refresh: () => Promise<C>): Promise<C> {
    this.refreshing ??= this.underLock(used, refresh).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private underLock(used: C, refresh: () => Promise<C>): Promise<C> {
    if (this.store.exclusive === undefined) return refresh();
    return this.store.exclusive(async (current, save) => {
      if (current !== null && this.accessToken(current) !== this.accessToken(used)) {
        this.cached = current;
        return current;
      }
      this.lockedSave = save;
      try {
        return await refresh();
      } finally {
        this.lockedSave = undefined;
      }
    });
  }
}
