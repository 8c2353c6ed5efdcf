import { ProvodError } from '@provod/contracts';
import {
  AmoConnection,
  AmoCrmClient,
  AmoCrmError,
  MemoryTokenStore,
  PacerRegistry,
  amoPacers,
  type AmoCredentials,
  type AmoIntegration,
  type AmoUser,
  type Clock,
  type HttpTransport,
  type AmoTokenStore,
} from '@provod/crm';
import { crmConnectionRepository, TenantScope, type CrmConnectionRecord } from '@provod/db';
import { z } from 'zod';
import type { ServiceDeps } from '../services/service-context.ts';

/** The token pair as stored in `crm_connections.credentials` (the connector's AmoCredentials). */
const storedCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('oauth'),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    expiresAtMs: z.number(),
  }),
  z.object({ kind: z.literal('long_lived'), accessToken: z.string().min(1) }),
]);

const storedIntegrationSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUri: z.string().min(1),
});

/** What every amoCRM account of this process shares: its pacers, its way to the network. */
export interface AmoAccounts {
  /** One 7/s pacer per account, shared by every call and connection of this process. */
  readonly pacers: PacerRegistry;
  readonly transport?: HttpTransport;
  readonly clock?: Clock;
  /**
   * Each connection's amoCRM users, for the automatic extension → user match by e-mail:
   * they change rarely, and one request per call for them would spend the 7/s limit.
   */
  readonly users: Map<string, CachedUsers>;
}

interface CachedUsers {
  readonly fetchedAtMs: number;
  readonly users: AmoUser[];
}

export function amoAccounts(options: Partial<AmoAccounts> = {}): AmoAccounts {
  return {
    ...options,
    pacers: options.pacers ?? amoPacers(options.clock),
    users: options.users ?? new Map<string, CachedUsers>(),
  };
}

export function storedIntegration(record: CrmConnectionRecord): AmoIntegration | undefined {
  const parsed = storedIntegrationSchema.safeParse(record.integration);
  return parsed.success ? parsed.data : undefined;
}

/** When the stored OAuth access token expires (ISO 8601); null for a long-lived token. */
export function tokenExpiry(record: CrmConnectionRecord): string | null {
  const parsed = storedCredentialsSchema.safeParse(record.credentials);
  return parsed.success && parsed.data.kind === 'oauth'
    ? new Date(parsed.data.expiresAtMs).toISOString()
    : null;
}

/**
 * The connection's tokens in the database. `save` resolves once the row is written: each
 * refresh revokes the previous refresh token (CRM-FACTS §1), so the new pair must be
 * durable before it is used.
 */
function databaseTokenStore(deps: ServiceDeps, tenantId: string, connectionId: string): AmoTokenStore {
  const repository = () =>
    crmConnectionRepository(new TenantScope(deps.database.db, tenantId), deps.clock);
  return {
    async load(): Promise<AmoCredentials | null> {
      const stored = await repository().loadCredentials(connectionId);
      if (stored === null) return null;
      const parsed = storedCredentialsSchema.safeParse(stored);
      return parsed.success ? parsed.data : null;
    },
    save: (credentials) => repository().saveCredentials(connectionId, credentials),
  };
}

function connectionOptions(accounts: AmoAccounts, baseUrl: string) {
  return {
    baseUrl,
    pacer: accounts.pacers.forAccount(baseUrl),
    ...(accounts.transport === undefined ? {} : { transport: accounts.transport }),
    ...(accounts.clock === undefined ? {} : { clock: accounts.clock }),
  };
}

/** A client for a stored connection, reading and saving its tokens in the database. */
export function amoClientFor(
  deps: ServiceDeps,
  accounts: AmoAccounts,
  tenantId: string,
  record: CrmConnectionRecord,
): AmoCrmClient {
  const integration = storedIntegration(record);
  const connection = new AmoConnection({
    ...connectionOptions(accounts, record.baseUrl),
    tokens: databaseTokenStore(deps, tenantId, record.id),
    ...(integration === undefined ? {} : { integration }),
  });
  return new AmoCrmClient(connection);
}

export interface InstalledAccount {
  readonly credentials: AmoCredentials;
  /** The account's users: the first active one is a new connection's fallback user. */
  readonly users: readonly AmoUser[];
}

/**
 * The install step of a new connection: the authorization code swapped for the first
 * token pair (the code works once, within 20 minutes), or a long-lived token; then the
 * account's users are read, which also proves the token works. Failures are `crm_error`
 * with amoCRM's own words.
 */
export async function obtainAmoCredentials(
  accounts: AmoAccounts,
  baseUrl: string,
  auth:
    | { type: 'oauth'; clientId: string; clientSecret: string; redirectUri: string; code: string }
    | { type: 'long_lived_token'; token: string },
): Promise<InstalledAccount> {
  const tokens = new MemoryTokenStore<AmoCredentials>(
    auth.type === 'long_lived_token' ? { kind: 'long_lived', accessToken: auth.token } : null,
  );
  const connection = new AmoConnection({
    ...connectionOptions(accounts, baseUrl),
    tokens,
    ...(auth.type === 'oauth'
      ? {
          integration: {
            clientId: auth.clientId,
            clientSecret: auth.clientSecret,
            redirectUri: auth.redirectUri,
          },
        }
      : {}),
  });
  try {
    if (auth.type === 'oauth') await connection.install(auth.code);
    const users = await new AmoCrmClient(connection).listUsers();
    const credentials = await tokens.load();
    if (credentials === null) throw new Error('the installed credentials were not kept');
    return { credentials, users };
  } catch (error) {
    if (error instanceof AmoCrmError)
      throw new ProvodError('crm_error', `amoCRM at ${baseUrl}: ${error.message}`);
    throw error;
  }
}
