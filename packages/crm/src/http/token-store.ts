/**
 * Where one CRM account's credentials live; the server backs it with the database. Both
 * CRMs revoke a refresh token once it is used, so a new pair must be saved — and the save
 * awaited — before it is used (CRM-FACTS §1, §8).
 */
export interface TokenStore<C> {
  load(): Promise<C | null>;
  /** Must be durable when it resolves: the pair it gets is the only working one. */
  save(credentials: C): Promise<void>;
  /**
   * Runs `work` holding a lock on the stored credentials that every process sharing them
   * takes too (a refresh in one Provod node must not race one in another): `current` is
   * what is stored now, `save` writes under the lock. Stores of one process may omit it.
   */
  exclusive?<T>(
    work: (current: C | null, save: (credentials: C) => Promise<void>) => Promise<T>,
  ): Promise<T>;
}

/** A TokenStore in memory: for tests, the install step and development. */
export class MemoryTokenStore<C> implements TokenStore<C> {
  constructor(private credentials: C | null = null) {}

  async load(): Promise<C | null> {
    return this.credentials;
  }

  async save(credentials: C): Promise<void> {
    this.credentials = credentials;
  }
}
