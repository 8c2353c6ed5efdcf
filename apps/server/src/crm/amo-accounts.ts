import { ProvodError } from '@provod/contracts';
import {
  AmoConnection,
  AmoCrmClient,
  AmoCrmError,
  MemoryTokenStore,
  type AmoCredentials,
  type AmoIntegration,
  type AmoUser,
} from '@provod/crm';
import type { CrmConnectionRecord } from '@provod/db';
import { z } from 'zod';
import type { ServiceDeps } from '../services/service-context.ts';
import { databaseTokenStore, networkOptions, type CrmAccounts } from './crm-accounts.ts';

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

function storedIntegration(record: CrmConnectionRecord): AmoIntegration | undefined {
  const parsed = storedIntegrationSchema.safeParse(record.integration);
  return parsed.success ? parsed.data : undefined;
}

function connectionOptions(accounts: CrmAccounts, baseUrl: string) {
  return { baseUrl, pacer: accounts.amoPacers.forAccount(baseUrl), ...networkOptions(accounts) };
}

/** A client for a stored connection, reading and saving its tokens in the database. */
export function amoClientFor(
  deps: ServiceDeps,
  accounts: CrmAccounts,
  tenantId: string,
  record: CrmConnectionRecord,
): AmoCrmClient {
  const integration = storedIntegration(record);
  const connection = new AmoConnection({
    ...connectionOptions(accounts, record.baseUrl),
    tokens: databaseTokenStore(deps, tenantId, record.id, storedCredentialsSchema),
    ...(integration === undefined ? {} : { integration }),
  });
  return new AmoCrmClient(connection);
}

export interface InstalledAccount<C, U> {
  readonly credentials: C;
  /** The account's users: the first active one is a new connection's fallback user. */
  readonly users: readonly U[];
}

/**
 * The install step of a new connection: the authorization code swapped for the first
 * token pair (the code works once, within 20 minutes), or a long-lived token; then the
 * account's users are read, which also proves the token works. Failures are `crm_error`
 * with amoCRM's own words.
 */
export async function obtainAmoCredentials(
  accounts: CrmAccounts,
  baseUrl: string,
  auth:
    | { type: 'oauth'; clientId: string; clientSecret: string; redirectUri: string; code: string }
    | { type: 'long_lived_token'; token: string },
): Promise<InstalledAccount<AmoCredentials, AmoUser>> {
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
