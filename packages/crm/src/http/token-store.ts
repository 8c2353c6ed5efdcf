/**
 * Where one CRM account's credentials live; the server backs it with the database. Both
 * CRMs revoke a refresh token once it is used, so a new pair must be saved — and the save
 * awaited — before it is used (CRM-FACTS §1, §8).
 */
export interface TokenStore<C> {
  load(): Promise<C | null>;
  /** Must be durable when it resolves: the pair it gets is the only working one. */
  save(credentials: C): Promise<void>;
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
