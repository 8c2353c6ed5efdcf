import {
  amoPacers,
  bitrixPacerDefaults,
  LeakyBucketPacer,
  PacerRegistry,
  systemClock,
  type Clock,
  type CrmUser,
  type HttpTransport,
  type TokenStore,
} from '@provod/crm';
import {
  crmConnectionRepository,
  TenantScope,
  type CrmConnectionRecord,
  type Executor,
} from '@provod/db';
import { z } from 'zod';
import type { ServiceDeps } from '../services/service-context.ts';

interface CachedUsers {
  readonly fetchedAtMs: number;
  readonly users: readonly CrmUser[];
}

/** What every CRM account of this process shares: its pacers, its way to the network. */
export interface CrmAccounts {
  /** One 7/s pacer per amoCRM account, shared by every call and connection of this process. */
  readonly amoPacers: PacerRegistry;
  /** One leaky bucket (50, draining 2/s) per Bitrix24 portal. */
  readonly bitrixPacers: PacerRegistry;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  /**
   * Each connection's CRM users, for the automatic extension → user match: they change
   * rarely, and one request per call for them would spend the CRM's rate limit.
   */
  readonly users: Map<string, CachedUsers>;
}

export function crmAccounts(options: Partial<CrmAccounts> = {}): CrmAccounts {
  const clock = options.clock ?? systemClock;
  return {
    ...options,
    amoPacers: options.amoPacers ?? amoPacers(clock),
    bitrixPacers:
      options.bitrixPacers ??
      new PacerRegistry(() => new LeakyBucketPacer(clock, bitrixPacerDefaults)),
    users: options.users ?? new Map<string, CachedUsers>(),
  };
}

/** Network options every connection takes from the accounts. */
export function networkOptions(accounts: CrmAccounts) {
  return {
    ...(accounts.transport === undefined ? {} : { transport: accounts.transport }),
    ...(accounts.clock === undefined ? {} : { clock: accounts.clock }),
  };
}

/** When the stored OAuth access token expires (ISO 8601); null when nothing expires. */
export function tokenExpiry(record: CrmConnectionRecord): string | null {
  const parsed = z
    .object({ kind: z.literal('oauth'), expiresAtMs: z.number() })
    .safeParse(record.credentials);
  return parsed.success ? new Date(parsed.data.expiresAtMs).toISOString() : null;
}

/**
 * The connection's tokens in the database. `save` resolves once the row is written: a
 * refresh revokes the previous refresh token (CRM-FACTS §1), so the new pair must be
 * durable before it is used.
 */
export function databaseTokenStore<C>(
  deps: ServiceDeps,
  tenantId: string,
  connectionId: string,
  schema: z.ZodType<C>,
): TokenStore<C> {
  const repository = (executor: Executor = deps.database.db) =>
    crmConnectionRepository(new TenantScope(executor, tenantId), deps.clock);
  const parse = (stored: unknown): C | null => {
    if (stored === null) return null;
    const parsed = schema.safeParse(stored);
    return parsed.success ? parsed.data : null;
  };
  const store: TokenStore<C> = {
    load: async () => parse(await repository().loadCredentials(connectionId)),
    save: (credentials) => repository().saveCredentials(connectionId, credentials),
  };
  // SQLite serves one process, whose refreshes are one at a time already; holding its only
  // connection through a token request would stall every other query meanwhile.
  if (deps.database.dialect !== 'postgres') return store;
  return {
    ...store,
    exclusive: (work) =>
      deps.database.db.transaction().execute(async (trx) => {
        const locked = repository(trx);
        const current = parse(await locked.lockCredentials(connectionId));
        return work(current, (credentials) => locked.saveCredentials(connectionId, credentials));
      }),
  };
}
