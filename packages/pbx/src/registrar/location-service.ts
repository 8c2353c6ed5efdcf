/**
 * The location service (RFC 3261 §10.2, §10.3): which contacts each address of record
 * is reachable at, until when, and through which network path. In memory per node; a
 * cluster shares it through Redis later, behind the same interface.
 */

/** Where a REGISTER really came from: behind NAT the Contact's address is not reachable. */
export interface FlowSource {
  transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
  address: string;
  port: number;
  /** The connection a stream-transport registration arrived on, to send back over it. */
  connectionId?: string | undefined;
}

export interface Binding {
  /** The Contact URI exactly as registered. */
  contact: string;
  /** Absolute expiry, ms since the epoch. */
  expiresAt: number;
  /** RFC 3261 §10.2.1.2: q, the preference among contacts (0–1); null when not given. */
  q: number | null;
  /** §10.3 step 7: a REGISTER with the same Call-ID and a lower CSeq is out of order. */
  callId: string;
  cseq: number;
  source: FlowSource;
  userAgent: string | null;
  registeredAt: number;
}

export interface AddressOfRecord {
  tenantId: string;
  /** The extension number (the AOR's user part within the tenant's domain). */
  user: string;
}

export interface RegistrationView extends AddressOfRecord, Binding {}

function keyOf(aor: AddressOfRecord): string {
  return `${aor.tenantId}\u0000${aor.user}`;
}

export class LocationService {
  private readonly bindings = new Map<string, { aor: AddressOfRecord; contacts: Binding[] }>();

  constructor(private readonly maxContactsPerAor = 10) {}

  /** Live bindings of an AOR, best first (highest q, then the most recent). */
  lookup(aor: AddressOfRecord, now: number): Binding[] {
    const entry = this.bindings.get(keyOf(aor));
    if (!entry) return [];
    return entry.contacts
      .filter((binding) => binding.expiresAt > now)
      .sort((a, b) => (b.q ?? 1) - (a.q ?? 1) || b.registeredAt - a.registeredAt);
  }

  /** Adds or refreshes a contact; true when it fit (a full AOR refuses new contacts). */
  upsert(aor: AddressOfRecord, binding: Binding): boolean {
    const key = keyOf(aor);
    const entry = this.bindings.get(key) ?? { aor, contacts: [] };
    const others = entry.contacts.filter((existing) => existing.contact !== binding.contact);
    if (others.length >= this.maxContactsPerAor && others.length === entry.contacts.length) {
      return false;
    }
    entry.contacts = [...others, binding];
    this.bindings.set(key, entry);
    return true;
  }

  remove(aor: AddressOfRecord, contact: string): void {
    const entry = this.bindings.get(keyOf(aor));
    if (!entry) return;
    entry.contacts = entry.contacts.filter((binding) => binding.contact !== contact);
    if (entry.contacts.length === 0) this.bindings.delete(keyOf(aor));
  }

  removeAll(aor: AddressOfRecord): void {
    this.bindings.delete(keyOf(aor));
  }

  /** The binding of this contact, expired or not, for the Call-ID/CSeq ordering check. */
  find(aor: AddressOfRecord, contact: string): Binding | undefined {
    return this.bindings.get(keyOf(aor))?.contacts.find((binding) => binding.contact === contact);
  }

  /** Drops expired bindings; returns how many. Run periodically. */
  sweep(now: number): number {
    let removed = 0;
    for (const [key, entry] of this.bindings) {
      const live = entry.contacts.filter((binding) => binding.expiresAt > now);
      removed += entry.contacts.length - live.length;
      if (live.length === 0) this.bindings.delete(key);
      else entry.contacts = live;
    }
    return removed;
  }

  /** Every live registration of a tenant: who is online, from where, with what phone. */
  listTenant(tenantId: string, now: number): RegistrationView[] {
    const views: RegistrationView[] = [];
    for (const { aor, contacts } of this.bindings.values()) {
      if (aor.tenantId !== tenantId) continue;
      for (const binding of contacts) {
        if (binding.expiresAt > now) views.push({ ...aor, ...binding });
      }
    }
    return views.sort((a, b) => a.user.localeCompare(b.user) || a.registeredAt - b.registeredAt);
  }
}
