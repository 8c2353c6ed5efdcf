import type { TokenStore } from '../http/token-store.ts';

/**
 * amoCRM OAuth 2.0 (https://www.amocrm.ru/developers/content/oauth/step-by-step,
 * https://developers.kommo.com/reference/get-token): `POST /oauth2/access_token` on the
 * account's own address swaps an authorization code, or a refresh token, for a new pair.
 * Each refresh returns a new refresh token and the used one stops working (CRM-FACTS §1),
 * so the pair is saved through the TokenStore — and the save awaited — before it is used:
 * a crash after the save keeps a working pair; a crash before it keeps the old pair,
 * whose refresh token amoCRM has not yet seen used.
 */
export type AmoCredentials =
  | {
      readonly kind: 'oauth';
      readonly accessToken: string;
      readonly refreshToken: string;
      /** When the access token expires, in ms since the epoch (from `expires_in`). */
      readonly expiresAtMs: number;
    }
  /** A private integration's long-lived token: nothing to refresh. */
  | { readonly kind: 'long_lived'; readonly accessToken: string };

export type AmoTokenStore = TokenStore<AmoCredentials>;

/** The integration's identity, the same for every account that installs it. */
export interface AmoIntegration {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

export type TokenGrant =
  | { readonly grantType: 'authorization_code'; readonly code: string }
  | { readonly grantType: 'refresh_token'; readonly refreshToken: string };

export function tokenRequestBody(
  integration: AmoIntegration,
  grant: TokenGrant,
): Record<string, string> {
  const base = {
    client_id: integration.clientId,
    client_secret: integration.clientSecret,
    redirect_uri: integration.redirectUri,
  };
  return grant.grantType === 'authorization_code'
    ? { ...base, grant_type: 'authorization_code', code: grant.code }
    : { ...base, grant_type: 'refresh_token', refresh_token: grant.refreshToken };
}

/**
 * The token endpoint's answer → credentials, or undefined when it is not the documented
 * `{token_type, expires_in, access_token, refresh_token}`.
 */
export function credentialsFromTokenAnswer(
  body: unknown,
  nowMs: number,
): AmoCredentials | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const access = record.access_token;
  const refresh = record.refresh_token;
  const expiresIn = record.expires_in;
  if (typeof access !== 'string' || access === '') return undefined;
  if (typeof refresh !== 'string' || refresh === '') return undefined;
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0)
    return undefined;
  return {
    kind: 'oauth',
    accessToken: access,
    refreshToken: refresh,
    expiresAtMs: nowMs + expiresIn * 1000,
  };
}
