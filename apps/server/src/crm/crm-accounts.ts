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
import { crmConnectionRepository, TenantScope, type CrmConnectionRecord } from '@provod/db';
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
  const repository = () =>
    crmConnectionRepository(new TenantScope(deps.database.db, tenantId), deps.clock);
  return {
    async load(): Promise<C | null> {
      const stored = await repository().loadCredentials(connectionId);
      if (stored === null) return null;
      const parsed = schema.safeParse(stored);
      return parsed.success ? parsed.data : null;
    },
    save: (credentials) => repository().saveCredentials(connectionId, credentials),
  };
}
