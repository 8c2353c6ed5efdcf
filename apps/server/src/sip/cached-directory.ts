import type { CallDirectory, RegistrarDirectory } from '@provod/pbx';

type SipDirectory = RegistrarDirectory & CallDirectory;

export interface DirectoryCacheOptions {
  ttlMs: number;
  /** Per kind of answer (domains, passwords); the oldest tenth goes when full. */
  maxEntries: number;
  now?: () => number;
}

/** Answers by key, each kept for a while; Map order makes the first keys the oldest. */
class ExpiringAnswers<Value> {
  private readonly entries = new Map<string, { value: Value; expiresAt: number }>();

  constructor(private readonly options: Required<DirectoryCacheOptions>) {}

  async get(key: string, load: () => Promise<Value>): Promise<Value> {
    const at = this.options.now();
    const found = this.entries.get(key);
    if (found !== undefined && found.expiresAt > at) return found.value;
    const value = await load();
    if (this.entries.size >= this.options.maxEntries) {
      let drop = Math.ceil(this.options.maxEntries / 10);
      for (const oldest of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(oldest);
      }
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: at + this.options.ttlMs });
    return value;
  }
}

/**
 * A short-lived memory of directory answers. Every REGISTER and INVITE asks for the
 * tenant of a domain and an extension's password, and phones re-register in bursts; the
 * database answer is kept for `ttlMs`, so a password change or a new extension reaches
 * SIP within that time on every node, with no invalidation to coordinate across a cluster.
 * Misses are kept too: a flood for unknown users must not reach the database either.
 */
export function cachedSipDirectory(
  inner: SipDirectory,
  options: DirectoryCacheOptions,
): SipDirectory {
  const settings = { now: Date.now, ...options };
  const domains = new ExpiringAnswers<{ tenantId: string } | undefined>(settings);
  const passwords = new ExpiringAnswers<string | undefined>(settings);
  const password = (tenantId: string, user: string) =>
    passwords.get(`${tenantId}\u0000${user}`, () => inner.sipPassword(tenantId, user));
  return {
    tenantByDomain: (domain) => domains.get(domain, () => inner.tenantByDomain(domain)),
    sipPassword: password,
    extensionExists: async (tenantId, number) => (await password(tenantId, number)) !== undefined,
  };
}
