import { ProvodError } from '@provod/contracts';
import {
  Bitrix24Client,
  Bitrix24Connection,
  Bitrix24Error,
  MemoryTokenStore,
  systemClock,
  type BitrixApp,
  type BitrixCredentials,
  type BitrixUser,
} from '@provod/crm';
import type { CrmConnectionRecord } from '@provod/db';
import { z } from 'zod';
import type { ServiceDeps } from '../services/service-context.ts';
import type { InstalledAccount } from './amo-accounts.ts';
import type { BitrixInstallation } from './bitrix-install.ts';
import { databaseTokenStore, networkOptions, type CrmAccounts } from './crm-accounts.ts';

/** The application's tokens or the webhook as stored in `crm_connections.credentials`. */
const storedCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('oauth'),
    accessToken: z.string().min(1),
    refreshToken: z.string().min(1),
    expiresAtMs: z.number(),
    memberId: z.string(),
  }),
  z.object({ kind: z.literal('webhook'), url: z.string().min(1) }),
]);

const storedAppSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  oauthUrl: z.string().min(1),
});

function connectionOptions(accounts: CrmAccounts, baseUrl: string) {
  return { baseUrl, pacer: accounts.bitrixPacers.forAccount(baseUrl), ...networkOptions(accounts) };
}

/** A client for a stored connection, reading and saving its tokens in the database. */
export function bitrixClientFor(
  deps: ServiceDeps,
  accounts: CrmAccounts,
  tenantId: string,
  record: CrmConnectionRecord,
): Bitrix24Client {
  const app = storedAppSchema.safeParse(record.integration);
  const connection = new Bitrix24Connection({
    ...connectionOptions(accounts, record.baseUrl),
    tokens: databaseTokenStore(deps, tenantId, record.id, storedCredentialsSchema),
    ...(app.success ? { app: app.data } : {}),
  });
  return new Bitrix24Client(connection);
}

export type BitrixAuth =
  | { type: 'oauth'; clientId: string; clientSecret: string; code: string; oauthUrl: string }
  | { type: 'webhook'; url: string };

/** What `crm_connections.integration` keeps of the application (null for a webhook). */
export function bitrixApp(auth: BitrixAuth): BitrixApp | null {
  return auth.type === 'oauth'
    ? { clientId: auth.clientId, clientSecret: auth.clientSecret, oauthUrl: auth.oauthUrl }
    : null;
}

/**
 * The install step: the code from the application's install redirect swapped for the
 * first token pair (the code lives 30 s), or the incoming webhook taken as it is; then the
 * portal's users are read, which also proves the access works. Failures are `crm_error`.
 */
export async function obtainBitrixCredentials(
  accounts: CrmAccounts,
  baseUrl: string,
  auth: BitrixAuth,
): Promise<InstalledAccount<BitrixCredentials, BitrixUser>> {
  const tokens = new MemoryTokenStore<BitrixCredentials>(
    auth.type === 'webhook' ? { kind: 'webhook', url: auth.url } : null,
  );
  const app = bitrixApp(auth);
  const connection = new Bitrix24Connection({
    ...connectionOptions(accounts, baseUrl),
    tokens,
    ...(app === null ? {} : { app }),
  });
  return provenAccount(connection, tokens, () =>
    auth.type === 'oauth' ? connection.install(auth.code) : Promise.resolve(),
  );
}

/**
 * The credentials proven by reading the portal's users with them (after `first`, the code
 * exchange, when there is one); Bitrix24's refusals become `crm_error` in its own words.
 */
async function provenAccount(
  connection: Bitrix24Connection,
  tokens: MemoryTokenStore<BitrixCredentials>,
  first: () => Promise<unknown>,
): Promise<InstalledAccount<BitrixCredentials, BitrixUser>> {
  try {
    await first();
    const users = await new Bitrix24Client(connection).listUsers();
    const credentials = await tokens.load();
    if (credentials === null) throw new Error('the installed credentials were not kept');
    return { credentials, users };
  } catch (error) {
    if (error instanceof Bitrix24Error)
      throw new ProvodError('crm_error', `Bitrix24 at ${connection.baseUrl}: ${error.message}`);
    throw error;
  }
}

/**
 * The tokens a portal handed over at the installation, proven by reading its users (and
 * refreshed at once if they are already stale), ready to be stored for the connection.
 */
export async function adoptBitrixInstallation(
  accounts: CrmAccounts,
  pending: CrmConnectionRecord,
  installation: BitrixInstallation,
): Promise<InstalledAccount<BitrixCredentials, BitrixUser>> {
  const nowMs = (accounts.clock ?? systemClock).nowMs();
  const app = storedAppSchema.safeParse(pending.integration);
  const tokens = new MemoryTokenStore<BitrixCredentials>({
    kind: 'oauth',
    accessToken: installation.accessToken,
    refreshToken: installation.refreshToken,
    expiresAtMs: nowMs + installation.expiresInSeconds * 1000,
    memberId: installation.memberId,
  });
  const connection = new Bitrix24Connection({
    ...connectionOptions(accounts, pending.baseUrl),
    tokens,
    ...(app.success ? { app: app.data } : {}),
  });
  return provenAccount(connection, tokens, () => Promise.resolve());
}
